import { describe, expect, it } from 'vitest'
import { checkByte } from '../../../electron/card-reader/vendor-parser'
import type { RecordedEvent } from '../../../electron/card-reader/fake-device'
import { proposeProfile, type LearnInput, type LearnSample } from '../../../electron/card-reader/learn'
import { loadRecording } from './harness'

const KEYBOARD_DEVICE = { vendorId: 0xffff, productId: 0x0035, usagePage: 1, usage: 6, product: 'USB ID Reader' }
const VENDOR_DEVICE = { vendorId: 0x1a2b, productId: 0x3c4d, usagePage: 0xff00, usage: 1 }
const DIGIT: Record<string, number> = { '1': 0x1e, '2': 0x1f, '3': 0x20, '4': 0x21, '5': 0x22, '6': 0x23, '7': 0x24, '8': 0x25, '9': 0x26, '0': 0x27 }

function reportsOf(events: RecordedEvent[]): LearnSample['reports'] {
  return events.flatMap((e) => ('bytes' in e ? [{ t: e.t, bytes: e.bytes }] : []))
}

/** Reports a keyboard reader sends for `text` + Enter, optionally behind a report ID byte. */
function typed(text: string, reportId?: number): NonNullable<LearnSample['reports']> {
  const keys = [...text].map((c) => DIGIT[c] ?? 0).concat(0x28)
  const prefix = reportId === undefined ? [] : [reportId]
  return keys.flatMap((k, i) => [
    { t: i * 16, bytes: new Uint8Array([...prefix, 0, 0, k, 0, 0, 0, 0, 0]) },
    { t: i * 16 + 8, bytes: new Uint8Array([...prefix, 0, 0, 0, 0, 0, 0, 0, 0]) },
  ])
}

/** A vendor report [len, uid..., zeros] with or without an xor byte, `size` bytes. */
function vendorReport(uid: number[], opts: { checksum?: boolean; size?: number; prefix?: number[] } = {}): Uint8Array {
  const body = [uid.length, ...uid]
  const bytes = [...(opts.prefix ?? []), ...body, ...(opts.checksum ? [checkByte('xor', new Uint8Array(body))] : [])]
  const r = new Uint8Array(opts.size ?? 16)
  r.set(bytes)
  return r
}

function learn(input: Partial<LearnInput> & Pick<LearnInput, 'samples'>) {
  const r = proposeProfile({ device: KEYBOARD_DEVICE, ...input })
  if (!r.ok) throw new Error(r.reason)
  return r
}

describe('learn mode: keyboard-type readers', () => {
  it('proposes decimal-10 from recorded swipes, and says byte order is not settled', () => {
    const r = learn({
      samples: [
        { reports: reportsOf(loadRecording('kbd-one-swipe.json').events) },
        { reports: reportsOf(loadRecording('kbd-held-keys-rollover.json').events) },
      ],
    })
    expect(r.profile).toMatchObject({
      id: 'learned-ffff-0035',
      name: 'USB ID Reader (learned)',
      kind: 'keyboard',
      uidFormat: 'decimal-10',
      vendorId: 0xffff,
      productId: 0x35,
      usagePage: 1,
      usage: 6,
      keyTimeoutMs: 500,
    })
    expect(r.uids).toEqual(['12345678', '12345678'])
    expect(r.certain).toBe(false)
    expect(r.alternatives.map((p) => p.uidFormat)).toEqual(['hex-be', 'decimal-10-le', 'hex-le'])
    expect(r.notes[0]).toBe('device 0xffff:0x0035')
  })

  it('a printed card number settles a reversed-order reader', () => {
    const r = learn({ samples: [{ reports: typed('2018915346'), printed: '0305419896' }] })
    expect(r.profile.uidFormat).toBe('decimal-10-le')
    expect(r.certain).toBe(true)
    expect(r.uids).toEqual(['12345678'])
  })

  it('a printed W26 number settles an 8-digit reader', () => {
    const r = learn({ samples: [{ reports: typed('05222136'), printed: '052,22136' }] })
    expect(r).toMatchObject({ certain: true, profile: { uidFormat: 'decimal-8' }, uids: ['W26:345678'] })
  })

  it('an EM4100 card printed with its 10-digit number settles a hex reader that prints 5 bytes', () => {
    const r = learn({ samples: [{ text: '0112345678', printed: '0305419896' }] })
    expect(r).toMatchObject({ certain: true, profile: { uidFormat: 'hex-be' }, uids: ['0112345678'] })
  })

  it('8 digits that are not a valid W26 number are hex', () => {
    const r = learn({ samples: [{ text: '99887766' }] })
    expect(r.profile.uidFormat).toBe('hex-be')
    expect(r.alternatives.map((p) => p.uidFormat)).toEqual(['hex-le'])
  })

  it('takes text caught by burst detection (Windows) instead of reports', () => {
    const r = learn({ device: { vendorId: 0xffff, productId: 0x0f03 }, samples: [{ text: '04A1B2C3D4E5F6' }, { text: 'deadbeef' }] })
    expect(r.profile).toMatchObject({ kind: 'keyboard', uidFormat: 'hex-be' })
    expect(r.uids).toEqual(['04A1B2C3D4E5F6', 'DEADBEEF'])
    expect(r.profile).not.toHaveProperty('usagePage')
  })

  it('recognises keyboard reports behind a report ID without being told the usage', () => {
    const r = learn({ device: { vendorId: 1, productId: 2 }, samples: [{ reports: typed('0305419896', 3) }], id: 'front-desk', name: '前台读卡器' })
    expect(r.profile).toMatchObject({ id: 'front-desk', name: '前台读卡器', kind: 'keyboard', reportId: 3, uidFormat: 'decimal-10' })
    expect(r.uids).toEqual(['12345678'])
  })

  it.each([
    ['no swipes', { samples: [] }, 'swipe at least one card'],
    ['a swipe without Enter', { samples: [{ reports: typed('0305419896').slice(0, 6) }] }, 'swipe 1: no complete read'],
    ['a swipe with a garbage key', { samples: [{ reports: [...typed('03054').slice(0, 4), { t: 40, bytes: new Uint8Array([0, 0, 0x3e, 0, 0, 0, 0, 0]) }, { t: 48, bytes: new Uint8Array([0, 0, 0x28, 0, 0, 0, 0, 0]) }] }] }, 'unexpected-key'],
    ['text in no format', { samples: [{ text: 'hello' }] }, 'fits no known format'],
    ['a printed number no format explains', { samples: [{ text: '0305419896', printed: '1' }] }, 'matches the printed numbers'],
  ])('refuses %s', (_what, input, reason) => {
    const r = proposeProfile({ device: KEYBOARD_DEVICE, ...input })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toContain(reason)
  })
})

describe('learn mode: vendor-report readers', () => {
  it('finds report ID, length byte, UID and check byte in recorded swipes', () => {
    const events = loadRecording('vendor-held-card.json').events
    const r = proposeProfile({
      device: VENDOR_DEVICE,
      samples: [{ reports: reportsOf(events.slice(0, 5)) }, { reports: reportsOf(events.slice(7, 9)) }],
    })
    if (!r.ok) throw new Error(r.reason)
    expect(r.profile).toMatchObject({ kind: 'vendor', reportId: 1, lengthByteOffset: 2, uidOffset: 3, checksum: 'xor', uidFormat: 'bytes-be', maxUidLength: 10 })
    expect(r.uids).toEqual(['12345678', '04A1B2C3D4E5F6'])
    expect(r.certain).toBe(false)
    expect(r.alternatives.map((p) => p.uidFormat)).toEqual(['bytes-le'])
  })

  it('a printed number settles the byte order', () => {
    const le = [0x78, 0x56, 0x34, 0x12]
    const r = proposeProfile({
      device: VENDOR_DEVICE,
      samples: [{ reports: [{ t: 0, bytes: new Uint8Array(8) }, { t: 100, bytes: vendorReport(le, { size: 8 }) }], printed: '0305419896' }],
    })
    expect(r).toMatchObject({ ok: true, certain: true, uids: ['12345678'], profile: { uidFormat: 'bytes-le', lengthByteOffset: 0, uidOffset: 1, checksum: 'none', maxUidLength: 7 } })
    expect(r.ok && r.profile).not.toHaveProperty('reportId')
  })

  it('a constant first byte that is the length itself is not taken for a report ID', () => {
    const r = proposeProfile({
      device: VENDOR_DEVICE,
      samples: [{ reports: [{ t: 0, bytes: vendorReport([0x12, 0x34, 0x56, 0x78], { size: 8 }) }] }, { reports: [{ t: 0, bytes: vendorReport([0xde, 0xad, 0xbe, 0xef], { size: 8 }) }] }],
    })
    expect(r).toMatchObject({ ok: true, uids: ['12345678', 'DEADBEEF'], profile: { lengthByteOffset: 0 } })
    expect(r.ok && r.profile).not.toHaveProperty('reportId')
  })

  it('prefers the reading with zero padding after the UID', () => {
    // [report ID 4, length 4, uid, 0...]: read as [length 4, uid 04123456] the 0x78 after it would be left over
    const report = vendorReport([0x12, 0x34, 0x56, 0x78], { prefix: [0x04], size: 12 })
    const r = proposeProfile({ device: VENDOR_DEVICE, samples: [{ reports: [{ t: 0, bytes: report }] }] })
    expect(r).toMatchObject({ ok: true, uids: ['12345678'], profile: { lengthByteOffset: 1, uidOffset: 2, reportId: 4 } })
    expect(r.ok && r.alternatives.map((p) => [p.uidFormat, p.kind === 'vendor' && p.lengthByteOffset])).toEqual([['bytes-le', 1]])
  })

  it.each([
    ['only empty reports', [{ reports: [{ t: 0, bytes: new Uint8Array(16) }] }], 'only empty reports'],
    ['no reports at all', [{ reports: [] }], 'no reports recorded'],
    ['bytes with no length-prefixed UID', [{ reports: [{ t: 0, bytes: new Uint8Array([0x99, 0x98, 0x97, 0x96]) }] }], 'found no length-prefixed UID'],
    ['a printed number that no reading gives', [{ reports: [{ t: 0, bytes: vendorReport([1, 2, 3, 4]) }], printed: '0305419896' }], 'found no length-prefixed UID'],
  ])('refuses %s', (_what, samples, reason) => {
    const r = proposeProfile({ device: VENDOR_DEVICE, samples })
    expect(r).toEqual({ ok: false, reason: expect.stringContaining(reason) })
  })
})
