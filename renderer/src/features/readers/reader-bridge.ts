import { z } from 'zod'
import type { ReaderAdminBridge } from '@shared/contract/reader-admin-bridge'
import { desktopBridge } from '../../app/desktop'

// The answers of Electron main's reader manager (electron/card-reader/reader-manager.ts), parsed:
// the renderer may not import main's types, and nothing from outside the page is trusted unparsed.

const READER_STATES = ['open', 'typing', 'known', 'unknown', 'error'] as const

/** One HID interface of this PC and what the driver makes of it. */
export const ReaderEntry = z.object({
  path: z.string(),
  vendorId: z.number().int(),
  productId: z.number().int(),
  usagePage: z.number().int().nullable(),
  usage: z.number().int().nullable(),
  product: z.string().nullable(),
  manufacturer: z.string().nullable(),
  state: z.enum(READER_STATES),
  profile: z.object({ id: z.string(), name: z.string() }).nullable(),
  detail: z.string().nullable(),
})
export type ReaderEntry = z.infer<typeof ReaderEntry>
export type ReaderState = ReaderEntry['state']

/** A learning session's swipes so far. */
export const LearnProgress = z.object({
  path: z.string(),
  state: z.enum(['listening', 'done', 'lost', 'ended']),
  swipes: z.array(z.object({ reports: z.number().int(), firstCardReport: z.string() })),
  needed: z.number().int(),
})
export type LearnProgress = z.infer<typeof LearnProgress>

/** The proposed profile: the fields the screen explains (the rest is kept by main). */
export const LearnProposal = z.object({
  profile: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['keyboard', 'vendor']),
    uidFormat: z.string(),
    reportId: z.number().int().optional(),
    lengthByteOffset: z.number().int().optional(),
    uidOffset: z.number().int().optional(),
    checksum: z.enum(['none', 'xor', 'sum8']).optional(),
  }),
  raws: z.array(z.string()),
  uids: z.array(z.string()),
  printed: z.string(),
  decimal: z.string().nullable(),
  certain: z.boolean(),
  alternatives: z.array(z.string()),
  notes: z.array(z.string()),
})
export type LearnProposal = z.infer<typeof LearnProposal>

/** Why a call failed; each has a text under readers.errors (unknown: an answer we could not read). */
export const ReaderFailure = z.object({
  ok: z.literal(false),
  reason: z.enum([
    'reader-gone',
    'open-failed',
    'not-learning',
    'not-enough-swipes',
    'printed-missing',
    'swipes-differ',
    'no-fit',
    'nothing-to-save',
    'save-failed',
    'not-admin',
    'bad-input',
    'reader-fault',
  ]),
  detail: z.string().optional(),
})
export type ReaderReason = z.infer<typeof ReaderFailure>['reason'] | 'unknown'

export type ReaderAnswer<T> = { ok: true; value: T } | { ok: false; reason: ReaderReason; detail?: string }

function answer<T extends z.ZodType>(value: T) {
  const Ok = z.object({ ok: z.literal(true), value })
  return async (call: Promise<unknown>): Promise<ReaderAnswer<z.infer<T>>> => {
    let raw: unknown
    try {
      raw = await call
    } catch {
      return { ok: false, reason: 'unknown' }
    }
    const ok = Ok.safeParse(raw)
    if (ok.success) return { ok: true, value: (ok.data as { value: z.infer<T> }).value }
    const failed = ReaderFailure.safeParse(raw)
    return failed.success ? failed.data : { ok: false, reason: 'unknown' }
  }
}

const asList = answer(z.array(ReaderEntry))
const asProgress = answer(LearnProgress)
const asProposal = answer(LearnProposal)
const asNull = answer(z.null())

/** The 读卡器 calls with the session token filled in and every answer parsed. */
export interface ReaderAdmin {
  list(): Promise<ReaderAnswer<ReaderEntry[]>>
  learnStart(path: string): Promise<ReaderAnswer<LearnProgress>>
  learnReset(): Promise<ReaderAnswer<LearnProgress>>
  learnPropose(printed: string, name?: string): Promise<ReaderAnswer<LearnProposal>>
  learnSave(): Promise<ReaderAnswer<ReaderEntry[]>>
  learnCancel(): Promise<ReaderAnswer<null>>
  /** learning progress after each swipe (malformed pushes are dropped) */
  onLearn(cb: (progress: LearnProgress) => void): () => void
}

function wrap(bridge: ReaderAdminBridge, token: string): ReaderAdmin {
  return {
    list: () => asList(bridge.list(token)),
    learnStart: (path) => asProgress(bridge.learnStart(token, path)),
    learnReset: () => asProgress(bridge.learnReset(token)),
    learnPropose: (printed, name) => asProposal(bridge.learnPropose(token, printed, name)),
    learnSave: () => asList(bridge.learnSave(token)),
    learnCancel: () => asNull(bridge.learnCancel(token)),
    onLearn: (cb) =>
      bridge.onLearn((raw) => {
        const p = LearnProgress.safeParse(raw)
        if (p.success) cb(p.data)
      }),
  }
}

/** The reader calls of the desktop app for this session, or undefined in a plain browser. */
export function readerAdmin(token: string | undefined): ReaderAdmin | undefined {
  const bridge = desktopBridge()?.readers
  return bridge && token ? wrap(bridge, token) : undefined
}
