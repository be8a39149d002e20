import { isKeyboardInterface } from './device'
import { toHex } from '@shared/domain/hex'
import { KeyboardReportParser } from './keyboard-parser'
import { ReaderProfile, type ReaderProfileInput } from './reader-profile'
import { UID_BYTE_LENGTHS, uidAliases, uidFromBytes, uidFromText, type TextUidFormat } from '@shared/domain/card-uid'
import { checkByte } from './vendor-parser'

/** One swipe recorded while learning an unknown reader. */
export interface LearnSample {
  /** input reports recorded during the swipe (the driver could open the reader) */
  reports?: ReadonlyArray<{ t: number; bytes: Uint8Array }>
  /** or the text the reader typed (caught by the renderer's burst detection) */
  text?: string
  /** the number printed on the card, if the user typed it in */
  printed?: string
}

export interface LearnInput {
  device: { vendorId: number; productId: number; usagePage?: number; usage?: number; product?: string }
  samples: readonly LearnSample[]
  id?: string
  name?: string
}

export type LearnResult =
  | {
      ok: true
      profile: ReaderProfile
      /** canonical UID of each sample under the proposed profile */
      uids: string[]
      /** what each sample produced: the typed text, or the hex of its first card report */
      raws: string[]
      /** other profiles that fit the samples equally well */
      alternatives: ReaderProfile[]
      /** false when the samples leave a choice open (usually byte order): swipe a card with a printed number */
      certain: boolean
      notes: string[]
    }
  | { ok: false; reason: string }

/** When several text formats fit, the one a reader of that kind most often uses. */
const TEXT_PREFERENCE: readonly TextUidFormat[] = ['decimal-10', 'decimal-8', 'hex-be', 'decimal-10-le', 'hex-le']
/** How card makers print numbers: in card order, as 10 decimal digits, W26, or hex. */
const PRINTED_FORMATS: readonly TextUidFormat[] = ['decimal-10', 'decimal-8', 'hex-be']

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0')
}

/** Every key the number printed on a card can stand for. */
function printedKeys(printed: string): Set<string> {
  const keys = new Set<string>()
  for (const f of PRINTED_FORMATS) {
    const r = uidFromText(printed, f)
    if (r.ok) for (const k of uidAliases(r.uid)) keys.add(k)
  }
  return keys
}

function fitsPrinted(uid: string, printed: string | undefined): boolean {
  if (printed === undefined) return true
  const keys = printedKeys(printed)
  return uidAliases(uid).some((k) => keys.has(k))
}

function base(input: LearnInput): Omit<ReaderProfileInput, 'kind' | 'uidFormat'> {
  const { vendorId, productId, usagePage, usage, product } = input.device
  const vid = vendorId.toString(16).padStart(4, '0')
  const pid = productId.toString(16).padStart(4, '0')
  return {
    id: input.id ?? `learned-${vid}-${pid}`,
    name: input.name ?? `${product ?? `Reader ${vid}:${pid}`} (learned)`,
    note: `learned from ${input.samples.length} swipe(s)`,
    vendorId,
    productId,
    ...(usagePage !== undefined ? { usagePage } : {}),
    ...(usage !== undefined ? { usage } : {}),
  }
}

function allReports(samples: readonly LearnSample[]): Uint8Array[] {
  return samples.flatMap((s) => (s.reports ?? []).map((r) => r.bytes))
}

/** A byte every report starts with, when reports are one longer than `bodyLength` (a report ID). */
function constantReportId(reports: Uint8Array[], bodyLength: number): number | undefined {
  const first = reports[0]?.[0]
  if (first === undefined || first === 0) return undefined
  return reports.every((r) => r.length === bodyLength + 1 && r[0] === first) ? first : undefined
}

function looksLikeKeyboard(input: LearnInput): boolean {
  if (input.samples.some((s) => s.text !== undefined)) return true
  if (isKeyboardInterface(input.device)) return true
  const reports = allReports(input.samples)
  if (reports.length === 0) return false
  const offset = constantReportId(reports, 8) === undefined ? 0 : 1
  return reports.every((r) => {
    const body = r.subarray(offset)
    if (body.length !== 8 || body[1] !== 0) return false
    return Array.from(body.subarray(2)).every((c) => c === 0 || (c >= 0x04 && c <= 0x65))
  }) && reports.some((r) => r.subarray(offset + 2).includes(0x28))
}

function keyboardTexts(input: LearnInput, reportId: number | undefined): string[] | string {
  const texts: string[] = []
  for (const [i, s] of input.samples.entries()) {
    if (s.text !== undefined) {
      texts.push(s.text.trim())
      continue
    }
    const parser = new KeyboardReportParser({ reportId, keyTimeoutMs: 500 })
    const events = (s.reports ?? []).flatMap((r) => parser.feed(r.bytes, r.t))
    const read = events.find((e) => e.type === 'read')
    if (!read || read.read.kind !== 'text') {
      const why = events.find((e) => e.type === 'rejected')
      return `swipe ${i + 1}: no complete read${why && why.type === 'rejected' ? ` (${why.reason}: ${why.detail})` : ''}`
    }
    texts.push(read.read.text)
  }
  return texts
}

function learnKeyboard(input: LearnInput): LearnResult {
  const reportId = input.samples.some((s) => s.text !== undefined) ? undefined : constantReportId(allReports(input.samples), 8)
  const texts = keyboardTexts(input, reportId)
  if (typeof texts === 'string') return { ok: false, reason: texts }
  const notes = [`keyboard-type reader: typed ${texts.map((t) => `"${t}"`).join(', ')}`]
  if (reportId !== undefined) notes.push(`reports carry report ID 0x${reportId.toString(16)}`)
  const fits = TEXT_PREFERENCE.filter((f) =>
    texts.every((t, i) => {
      const r = uidFromText(t, f, { exact: true })
      return r.ok && fitsPrinted(r.uid, input.samples[i]?.printed)
    }),
  )
  if (fits.length === 0) {
    return { ok: false, reason: `the typed text fits no known format${input.samples.some((s) => s.printed) ? ' that matches the printed numbers' : ''}` }
  }
  const profiles = fits.map((uidFormat) => ReaderProfile.parse({ ...base(input), kind: 'keyboard', uidFormat, ...(reportId !== undefined ? { reportId } : {}) }))
  const chosen = profiles[0] as ReaderProfile & { kind: 'keyboard' }
  const uids = texts.map((t) => {
    const r = uidFromText(t, chosen.uidFormat, { exact: true })
    return r.ok ? r.uid : ''
  })
  if (fits.length > 1) notes.push(`also fits: ${fits.slice(1).join(', ')}; chose ${chosen.uidFormat}`)
  return { ok: true, profile: chosen, uids, raws: texts, alternatives: profiles.slice(1), certain: fits.length === 1, notes }
}

interface Layout {
  reportId?: number
  lengthByteOffset: number
  checksum: 'none' | 'xor' | 'sum8'
  /** bytes after the UID (and check byte) are zero in every sample */
  clean: boolean
}

function isIdle(r: Uint8Array, reportId: number | undefined): boolean {
  return r.subarray(reportId === undefined ? 0 : 1).every((b) => b === 0)
}

function layoutsFor(cards: Uint8Array[], reportId: number | undefined): Layout[] {
  const shortest = Math.min(...cards.map((r) => r.length))
  const layouts: Layout[] = []
  for (let lo = reportId === undefined ? 0 : 1; lo + 1 < shortest; lo++) {
    const lengths = cards.map((r) => r[lo] ?? 0)
    if (!lengths.every((l) => (UID_BYTE_LENGTHS as readonly number[]).includes(l))) continue
    for (const checksum of ['none', 'xor', 'sum8'] as const) {
      const extra = checksum === 'none' ? 0 : 1
      const fits = cards.every((r, i) => {
        const end = lo + 1 + (lengths[i] ?? 0)
        if (end + extra > r.length) return false
        // no card has a UID of all zeros or all ones: that is padding, not a UID
        const uid = r.subarray(lo + 1, end)
        if (uid.every((b) => b === 0) || uid.every((b) => b === 0xff)) return false
        return checksum === 'none' || checkByte(checksum, r.subarray(lo, end)) === r[end]
      })
      if (!fits) continue
      const clean = cards.every((r, i) => r.subarray(lo + 1 + (lengths[i] ?? 0) + extra).every((b) => b === 0))
      layouts.push({ reportId, lengthByteOffset: lo, checksum, clean })
    }
  }
  return layouts
}

function learnVendor(input: LearnInput): LearnResult {
  const reports = allReports(input.samples)
  if (reports.length === 0) return { ok: false, reason: 'no reports recorded' }
  const first = reports[0]?.[0]
  const idCandidate = first !== undefined && first !== 0 && reports.every((r) => r[0] === first) ? first : undefined
  const cards: Uint8Array[] = []
  for (const [i, s] of input.samples.entries()) {
    const card = (s.reports ?? []).find((r) => !isIdle(r.bytes, idCandidate))
    if (!card) return { ok: false, reason: `swipe ${i + 1}: only empty reports` }
    cards.push(card.bytes)
  }
  // a constant first byte is a report ID unless it is the length byte itself
  const layouts =
    idCandidate === undefined
      ? layoutsFor(cards, undefined)
      : [...layoutsFor(cards, idCandidate), ...layoutsFor(cards, undefined).filter((l) => l.lengthByteOffset === 0)]
  // evidence first: a verified check byte, then zero padding after the UID, then the earliest length byte
  layouts.sort((a, b) =>
    Number(b.checksum !== 'none') - Number(a.checksum !== 'none') || Number(b.clean) - Number(a.clean) || a.lengthByteOffset - b.lengthByteOffset,
  )
  const candidates: Array<{ layout: Layout; order: 'bytes-be' | 'bytes-le'; uids: string[] }> = []
  for (const layout of layouts) {
    for (const order of ['bytes-be', 'bytes-le'] as const) {
      const uids: string[] = []
      const ok = cards.every((r, i) => {
        const len = r[layout.lengthByteOffset] ?? 0
        const u = uidFromBytes(r.subarray(layout.lengthByteOffset + 1, layout.lengthByteOffset + 1 + len), order)
        if (!u.ok || !fitsPrinted(u.uid, input.samples[i]?.printed)) return false
        uids.push(u.uid)
        return true
      })
      if (ok) candidates.push({ layout, order, uids })
    }
  }
  const best = candidates[0]
  if (!best) return { ok: false, reason: 'found no length-prefixed UID in the reports that fits the samples' }
  const shortest = Math.min(...cards.map((r) => r.length))
  const toProfile = (c: (typeof candidates)[number]): ReaderProfile => {
    const uidOffset = c.layout.lengthByteOffset + 1
    const room = shortest - uidOffset - (c.layout.checksum === 'none' ? 0 : 1)
    return ReaderProfile.parse({
      ...base(input),
      kind: 'vendor',
      uidFormat: c.order,
      ...(c.layout.reportId !== undefined ? { reportId: c.layout.reportId } : {}),
      lengthByteOffset: c.layout.lengthByteOffset,
      uidOffset,
      maxUidLength: Math.max(1, Math.min(10, room)),
      checksum: c.layout.checksum,
    })
  }
  const sameEvidence = candidates.filter(
    (c) => c.layout.checksum !== 'none' === (best.layout.checksum !== 'none') && c.layout.clean === best.layout.clean,
  )
  const notes = [
    `vendor-report reader: length byte at ${best.layout.lengthByteOffset}, UID from ${best.layout.lengthByteOffset + 1}` +
      (best.layout.checksum !== 'none' ? `, ${best.layout.checksum} check byte` : '') +
      (best.layout.reportId !== undefined ? `, report ID 0x${best.layout.reportId.toString(16)}` : ''),
    `first card report: ${toHex(cards[0] ?? [])}`,
  ]
  if (sameEvidence.length > 1) notes.push(`${sameEvidence.length - 1} other reading(s) fit as well; chose the first`)
  return {
    ok: true,
    profile: toProfile(best),
    uids: best.uids,
    raws: cards.map((c) => toHex(c)),
    alternatives: sameEvidence.slice(1).map(toProfile),
    certain: sameEvidence.length === 1,
    notes,
  }
}

/**
 * Proposes a reader profile from a few swipes on an unknown reader: keyboard or vendor
 * reports, the report layout, and the UID format that reads every swipe consistently. Numbers
 * printed on the cards (in card order, as card makers print them) settle byte order and
 * decimal-or-hex; without them the result says which choices it could not settle.
 */
export function proposeProfile(input: LearnInput): LearnResult {
  if (input.samples.length === 0) return { ok: false, reason: 'swipe at least one card' }
  const kind = looksLikeKeyboard(input) ? 'keyboard' : 'vendor'
  const result = kind === 'keyboard' ? learnKeyboard(input) : learnVendor(input)
  if (result.ok) result.notes.unshift(`device ${hex4(input.device.vendorId)}:${hex4(input.device.productId)}`)
  return result
}
