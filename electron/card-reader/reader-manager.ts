import { printUid } from '@shared/domain/card-uid'
import { toHex } from '@shared/domain/hex'
import { CardReaderService, type CardReadRejected, type CardSwipe, type ReaderStatus } from './card-reader-service'
import type { CardReaderBackend, CardReaderDevice, HidDeviceInfo } from './device'
import { proposeProfile, type LearnResult } from './learn'
import { loadReaderProfiles, saveLearnedProfile } from './load-profiles'
import { findProfile, type ReaderProfile } from './reader-profile'
import { systemScheduler, type Scheduler, type TimerId } from './scheduler'

/** How many swipes of the same card learning takes. */
export const LEARN_SWIPES = 3
/** A swipe is over once the reader has sent nothing but empty reports for this long. */
export const SWIPE_QUIET_MS = 400
/**
 * A learning session nobody touches for this long ends by itself and the reader goes back to
 * work: the admin may have closed the window or signed out (then the screen cannot cancel).
 */
export const LEARN_IDLE_MS = 5 * 60_000
/** More reports than any swipe has: a reader stuck sending is cut off here. */
const MAX_REPORTS_PER_SWIPE = 512

/** What the admin screen shows for one HID interface of this PC. */
export type ReaderState =
  /** the driver has it open and reads cards from it */
  | 'open'
  /** a keyboard-type reader the driver cannot open: swipes arrive as typing */
  | 'typing'
  /** a profile knows it, but the driver is not reading it (another reader came first) */
  | 'known'
  /** no profile knows it: learn it */
  | 'unknown'
  /** a profile knows it and it failed */
  | 'error'

/** One HID interface as the admin screen lists it (serialisable over IPC). */
export interface ReaderEntry {
  /** the OS path, used only to name the interface in later calls */
  path: string
  vendorId: number
  productId: number
  usagePage: number | null
  usage: number | null
  product: string | null
  manufacturer: string | null
  state: ReaderState
  /** the profile that reads it, when one does */
  profile: { id: string; name: string } | null
  /** why it failed, or how it is read */
  detail: string | null
}

/** One swipe recorded while learning, as the admin screen shows it. */
export interface LearnSwipeView {
  reports: number
  /** the first report that carried a card, hex */
  firstCardReport: string
}

/** The state of a learning session, pushed to the screen after every swipe. */
export interface LearnProgress {
  path: string
  /** lost: the reader was pulled out; ended: the session ended unused (LEARN_IDLE_MS) */
  state: 'listening' | 'done' | 'lost' | 'ended'
  swipes: LearnSwipeView[]
  needed: number
}

/** The profile learning proposes, spelled out for the admin (serialisable over IPC). */
export interface LearnProposal {
  profile: ReaderProfile
  /** what each swipe produced: the typed text, or the card report (hex) */
  raws: string[]
  /** canonical UID of each swipe */
  uids: string[]
  /** the number the admin typed */
  printed: string
  /** the UID as the 10-digit decimal number most cards carry, when it has one */
  decimal: string | null
  /** false: other readings fit as well (the printed number did not settle them) */
  certain: boolean
  /** the UID formats of those other readings */
  alternatives: string[]
  notes: string[]
}

/** Why a reader-admin call failed; the screen translates each. */
export type ReaderAdminReason =
  | 'reader-gone'
  | 'open-failed'
  | 'not-learning'
  | 'not-enough-swipes'
  | 'printed-missing'
  | 'swipes-differ'
  | 'no-fit'
  | 'nothing-to-save'
  | 'save-failed'
  /** the call came from a session that is not an admin's */
  | 'not-admin'
  /** the call's input was malformed */
  | 'bad-input'
  /** the driver failed (e.g. HID devices cannot be listed) */
  | 'reader-fault'

/** The result of a reader-admin call. */
export type ReaderAdminResult<T> = { ok: true; value: T } | { ok: false; reason: ReaderAdminReason; detail?: string }

/** Events the manager delivers to the window of this PC. */
export type ReaderEvent =
  | { channel: 'card:swipe'; payload: CardSwipe }
  | { channel: 'card:rejected'; payload: CardReadRejected }
  | { channel: 'card:status'; payload: ReaderStatus }
  | { channel: 'card:learn'; payload: LearnProgress }

export interface ReaderManagerOptions {
  backend: CardReaderBackend
  /** learned profiles first, then the bundled ones */
  profileFiles: readonly string[]
  /** where learned profiles are saved (the first of profileFiles) */
  learnedFile: string
  platform: string
  scheduler?: Scheduler
  pollIntervalMs?: number
  emit(event: ReaderEvent): void
  /** where faults with file paths in them go (the host log); the screen is told without paths */
  log?(message: string): void
}

interface Recorded {
  t: number
  bytes: Uint8Array
}

interface LearnSession {
  info: HidDeviceInfo
  device: CardReaderDevice
  unsubscribe: Array<() => void>
  swipes: Recorded[][]
  current: Recorded[] | null
  timer: TimerId | null
  idleTimer: TimerId | null
  lost: boolean
  proposal: ReaderProfile | null
}

/** A report with nothing after its first byte (no key down, no card; the first may be a report ID). */
function isEmptyReport(bytes: Uint8Array): boolean {
  return bytes.subarray(1).every((b) => b === 0)
}

function ok<T>(value: T): ReaderAdminResult<T> {
  return { ok: true, value }
}

function fail<T>(reason: ReaderAdminReason, detail?: string): ReaderAdminResult<T> {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/**
 * The reader of this PC as the admin manages it: the live reader service (swipes for every
 * page), the list of HID interfaces with their state, and learn mode: the live service is
 * paused, the chosen interface is opened and its reports recorded swipe by swipe, a profile is
 * proposed from three swipes and the card's printed number, and once saved to the learned
 * profiles file the live service starts again with it. Plain Node.
 */
export class ReaderManager {
  private readonly scheduler: Scheduler
  private live: CardReaderService | null = null
  private profiles: ReaderProfile[] = []
  private session: LearnSession | null = null
  /** why the profiles could not be loaded, when they could not */
  private profileError: string | null = null

  constructor(private readonly options: ReaderManagerOptions) {
    this.scheduler = options.scheduler ?? systemScheduler()
  }

  /** Loads the profiles and starts reading the reader. */
  async start(): Promise<void> {
    await this.startLive()
  }

  /** Stops learning and the live reader. */
  async stop(): Promise<void> {
    await this.endSession()
    await this.stopLive()
  }

  /** Every HID interface of this PC and what the driver makes of it. */
  async readers(): Promise<ReaderEntry[]> {
    const devices = await this.options.backend.list()
    const status = this.live?.status() ?? { state: 'none' as const }
    return devices.map((d) => this.entry(d, status))
  }

  /** Starts learning the interface at `path`: pauses the live reader and records its reports. */
  async startLearn(path: string): Promise<ReaderAdminResult<LearnProgress>> {
    await this.endSession()
    const info = (await this.options.backend.list()).find((d) => d.path === path)
    if (!info) return fail('reader-gone')
    await this.stopLive()
    const device = this.options.backend.device(info)
    const session: LearnSession = { info, device, unsubscribe: [], swipes: [], current: null, timer: null, idleTimer: null, lost: false, proposal: null }
    session.unsubscribe.push(
      device.onData((bytes) => this.record(session, bytes)),
      device.onError(() => {
        session.lost = true
        this.progress(session)
      }),
    )
    try {
      await device.open()
    } catch (e) {
      for (const u of session.unsubscribe) u()
      await this.startLive()
      return fail('open-failed', errorText(e))
    }
    this.session = session
    this.touch(session)
    return ok(this.view(session))
  }

  /** Forgets the swipes recorded so far (the admin swipes again). */
  resetLearn(): ReaderAdminResult<LearnProgress> {
    const session = this.session
    if (!session) return fail('not-learning')
    if (session.timer) this.scheduler.clearTimeout(session.timer)
    session.timer = null
    session.swipes = []
    session.current = null
    session.proposal = null
    this.touch(session)
    this.progress(session)
    return ok(this.view(session))
  }

  /** Proposes a profile from the recorded swipes of one card and the number printed on it. */
  propose(printed: string, name?: string): ReaderAdminResult<LearnProposal> {
    const session = this.session
    if (!session) return fail('not-learning')
    if (session.swipes.length < LEARN_SWIPES) return fail('not-enough-swipes')
    this.touch(session)
    const number = printed.trim()
    if (number === '') return fail('printed-missing')
    const result: LearnResult = proposeProfile({
      device: session.info,
      samples: session.swipes.map((reports) => ({ reports, printed: number })),
      ...(name?.trim() ? { name: name.trim() } : {}),
    })
    if (!result.ok) return fail('no-fit', result.reason)
    if (new Set(result.uids).size !== 1) return fail('swipes-differ', result.uids.join(', '))
    session.proposal = result.profile
    const uid = result.uids[0] ?? ''
    return ok({
      profile: result.profile,
      raws: result.raws,
      uids: result.uids,
      printed: number,
      decimal: printUid(uid, 'decimal-10'),
      certain: result.certain,
      alternatives: result.alternatives.map((p) => p.uidFormat),
      notes: result.notes,
    })
  }

  /** Saves the proposed profile to the learned profiles, ends learning and reads the reader with it. */
  async save(): Promise<ReaderAdminResult<ReaderEntry[]>> {
    const profile = this.session?.proposal
    if (!profile) return fail('nothing-to-save')
    try {
      await saveLearnedProfile(this.options.learnedFile, profile)
    } catch (e) {
      this.options.log?.(`saving the learned reader profile failed: ${errorText(e)}`)
      return fail('save-failed')
    }
    await this.endSession()
    await this.startLive()
    // answer with the reader already open, not with the moment before the first look
    await this.live?.lookNow()
    return ok(await this.readers())
  }

  /** Ends learning without saving; the live reader starts again. */
  async cancelLearn(): Promise<ReaderAdminResult<null>> {
    const had = this.session !== null
    await this.endSession()
    if (had) {
      await this.startLive()
      await this.live?.lookNow()
    }
    return ok(null)
  }

  private entry(d: HidDeviceInfo, status: ReaderStatus | { state: 'none' }): ReaderEntry {
    const base = {
      path: d.path,
      vendorId: d.vendorId,
      productId: d.productId,
      usagePage: d.usagePage ?? null,
      usage: d.usage ?? null,
      product: d.product ?? null,
      manufacturer: d.manufacturer ?? null,
    }
    const named = (p: ReaderProfile) => ({ id: p.id, name: p.name })
    if (status.state === 'connected' && status.device.path === d.path) return { ...base, state: 'open', profile: named(status.profile), detail: null }
    if (status.state === 'keyboard-wedge' && status.device.path === d.path) {
      return { ...base, state: 'typing', profile: named(status.profile), detail: status.reason }
    }
    const profile = findProfile(this.profiles, d)
    if (!profile) return { ...base, state: 'unknown', profile: null, detail: this.profileError }
    if (status.state === 'error' && status.profile?.id === profile.id) return { ...base, state: 'error', profile: named(profile), detail: status.message }
    return { ...base, state: 'known', profile: named(profile), detail: null }
  }

  /** Restarts the idle clock of a session: something happened. */
  private touch(session: LearnSession): void {
    if (session.idleTimer) this.scheduler.clearTimeout(session.idleTimer)
    session.idleTimer = this.scheduler.setTimeout(() => {
      session.idleTimer = null
      if (this.session !== session) return
      this.options.emit({ channel: 'card:learn', payload: { ...this.view(session), state: 'ended' } })
      void this.cancelLearn()
    }, LEARN_IDLE_MS)
  }

  private record(session: LearnSession, bytes: Uint8Array): void {
    if (this.session !== session || session.swipes.length >= LEARN_SWIPES) return
    this.touch(session)
    const empty = isEmptyReport(bytes)
    if (!session.current) {
      if (empty) return
      session.current = []
    }
    if (session.current.length < MAX_REPORTS_PER_SWIPE) session.current.push({ t: this.scheduler.now(), bytes: new Uint8Array(bytes) })
    if (empty) return
    // the swipe lasts while the reader keeps sending something; empty reports do not extend it
    if (session.timer) this.scheduler.clearTimeout(session.timer)
    session.timer = this.scheduler.setTimeout(() => {
      session.timer = null
      if (this.session !== session || !session.current) return
      session.swipes.push(session.current)
      session.current = null
      this.progress(session)
    }, SWIPE_QUIET_MS)
  }

  private view(session: LearnSession): LearnProgress {
    return {
      path: session.info.path,
      state: session.lost ? 'lost' : session.swipes.length >= LEARN_SWIPES ? 'done' : 'listening',
      swipes: session.swipes.map((s) => ({
        reports: s.length,
        firstCardReport: toHex(s.find((r) => !isEmptyReport(r.bytes))?.bytes ?? []),
      })),
      needed: LEARN_SWIPES,
    }
  }

  private progress(session: LearnSession): void {
    if (this.session === session) this.options.emit({ channel: 'card:learn', payload: this.view(session) })
  }

  private async endSession(): Promise<void> {
    const session = this.session
    if (!session) return
    this.session = null
    if (session.timer) this.scheduler.clearTimeout(session.timer)
    if (session.idleTimer) this.scheduler.clearTimeout(session.idleTimer)
    for (const u of session.unsubscribe) u()
    await session.device.close()
  }

  private async startLive(): Promise<void> {
    await this.stopLive()
    try {
      this.profiles = await loadReaderProfiles(this.options.profileFiles)
      this.profileError = null
    } catch (e) {
      // a damaged profiles file: say so on the status light and in the list, keep the app running
      this.profiles = []
      this.options.log?.(`reader profiles not loaded: ${errorText(e)}`)
      this.profileError = 'the reader profiles file is damaged; learn the reader again'
      this.options.emit({ channel: 'card:status', payload: { state: 'error', message: this.profileError } })
      return
    }
    const live = new CardReaderService({
      backend: this.options.backend,
      profiles: this.profiles,
      platform: this.options.platform,
      scheduler: this.scheduler,
      pollIntervalMs: this.options.pollIntervalMs,
    })
    live.onSwipe((s) => this.options.emit({ channel: 'card:swipe', payload: s }))
    live.onRejected((r) => this.options.emit({ channel: 'card:rejected', payload: r }))
    live.onStatus((s) => this.options.emit({ channel: 'card:status', payload: s }))
    this.live = live
    live.start()
  }

  private async stopLive(): Promise<void> {
    const live = this.live
    this.live = null
    if (!live) return
    await live.stop()
    // the screen's status light goes out while the reader is being learned
    this.options.emit({ channel: 'card:status', payload: { state: 'none' } })
  }
}
