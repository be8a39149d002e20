import https from 'node:https'
import path from 'node:path'
import { z } from 'zod'
import { ReaderManager, type CardReaderBackend, type ReaderAdminResult, type ReaderEvent, type ReaderStatus, type Scheduler } from '../card-reader'
import type { HostPin } from '../host/pairing/pin-check'
import { deviceCookie, pinnedTlsOptions } from '../host/pairing/pinned-tls'
import { READER_CHANNELS, type ReaderChannel } from '../preload/channels'

/** What the renderer learns about the reader: a small, serialisable status for the status light. */
export interface ReaderLight {
  state: ReaderStatus['state']
  /** the reader's profile name, or the error. */
  detail: string | null
  /** for keyboard-wedge readers: how the typed text becomes a UID. */
  uidFormat: string | null
}

/** Turns the driver's status into the renderer's status light. */
export function readerLight(s: ReaderStatus): ReaderLight {
  switch (s.state) {
    case 'none':
      return { state: 'none', detail: null, uidFormat: null }
    case 'connected':
      return { state: 'connected', detail: s.profile.name, uidFormat: null }
    case 'keyboard-wedge':
      return { state: 'keyboard-wedge', detail: s.profile.name, uidFormat: s.profile.uidFormat }
    case 'error':
      return { state: 'error', detail: s.message, uidFormat: null }
  }
}

type WindowChannel = 'card:swipe' | 'card:status' | 'card:rejected' | 'card:learn'

export interface BridgeOptions {
  backend: CardReaderBackend
  /** learned profiles first, then the bundled ones; learned profiles are saved to the first. */
  profileFiles: readonly string[]
  platform: NodeJS.Platform
  /** delivers an event to the window on this PC. */
  send: (channel: WindowChannel, payload: unknown) => void
  /** whether a session token is an admin's (asked of the host): only admins manage readers. */
  isAdmin?: (token: string) => Promise<boolean>
  /** where faults with file paths go. */
  log?: (message: string) => void
  /** timers; injected by tests. */
  scheduler?: Scheduler
}

/** The reader of this PC as main runs it: the manager, the admin calls the window may make, and stop. */
export interface CardReaderBridge {
  /** answers one admin call from the window (input not yet trusted). */
  handle(channel: ReaderChannel, raw: unknown): Promise<ReaderAdminResult<unknown>>
  stop(): Promise<void>
}

/** What a window event carries: the window gets small values, never profiles' file details. */
function windowEvent(e: ReaderEvent): [WindowChannel, unknown] {
  switch (e.channel) {
    case 'card:swipe':
      return ['card:swipe', e.payload.uid]
    case 'card:rejected':
      return ['card:rejected', e.payload.reason]
    case 'card:status':
      return ['card:status', readerLight(e.payload)]
    case 'card:learn':
      return ['card:learn', e.payload]
  }
}

const Token = z.string().min(1).max(200)
const INPUTS = {
  'readers:list': z.strictObject({ token: Token }),
  'readers:learn-start': z.strictObject({ token: Token, path: z.string().min(1).max(1000) }),
  'readers:learn-reset': z.strictObject({ token: Token }),
  'readers:learn-propose': z.strictObject({ token: Token, printed: z.string().max(40), name: z.string().max(80).optional() }),
  'readers:learn-save': z.strictObject({ token: Token }),
  'readers:learn-cancel': z.strictObject({ token: Token }),
} satisfies Record<ReaderChannel, z.ZodType>

/** Starts the reader of this PC, forwards swipes, status and learn progress to the window, and answers admin calls. */
export async function startCardReaderBridge(opts: BridgeOptions): Promise<CardReaderBridge> {
  const [learnedFile] = opts.profileFiles
  if (learnedFile === undefined) throw new Error('no reader profile files given')
  const manager = new ReaderManager({
    backend: opts.backend,
    profileFiles: opts.profileFiles,
    learnedFile,
    platform: opts.platform,
    scheduler: opts.scheduler,
    log: opts.log,
    emit: (e) => opts.send(...windowEvent(e)),
  })
  await manager.start()
  const isAdmin = opts.isAdmin ?? (async () => false)
  return {
    async handle(channel, raw) {
      const input = INPUTS[channel].safeParse(raw)
      if (!input.success) return { ok: false, reason: 'bad-input' }
      // the window is not trusted: only an admin's session manages the readers
      if (!(await isAdmin(input.data.token))) return { ok: false, reason: 'not-admin' }
      try {
        return await answer(channel, raw)
      } catch (e) {
        // e.g. node-hid missing or enumeration failing: the screen says the reader failed, the log says why
        opts.log?.(`reader call ${channel} failed: ${e instanceof Error ? e.message : String(e)}`)
        return { ok: false, reason: 'reader-fault' }
      }
    },
    stop: () => manager.stop(),
  }

  async function answer(channel: ReaderChannel, raw: unknown): Promise<ReaderAdminResult<unknown>> {
    switch (channel) {
      case 'readers:list':
        return { ok: true, value: await manager.readers() }
      case 'readers:learn-start':
        return manager.startLearn(INPUTS[channel].parse(raw).path)
      case 'readers:learn-reset':
        return manager.resetLearn()
      case 'readers:learn-propose': {
        const { printed, name } = INPUTS[channel].parse(raw)
        return manager.propose(printed, name)
      }
      case 'readers:learn-save':
        return manager.save()
      case 'readers:learn-cancel':
        return manager.cancelLearn()
    }
  }
}

/** Every channel name the bridge answers, for registering the IPC handlers. */
export const readerChannels: readonly ReaderChannel[] = READER_CHANNELS

/** Asks the host whether a session token belongs to a signed-in admin (any failure: no). */
export function hostAdminCheck(hostUrl: string, pinned?: { pin: HostPin; deviceToken: string | null }): (token: string) => Promise<boolean> {
  const Answer = z.object({ ok: z.literal(true), value: z.object({ role: z.string() }) })
  return async (token) => {
    try {
      const url = new URL('/api/auth.whoami', hostUrl)
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
      // a TLS host (the LAN port, a paired host) is trusted by its pin, as the window trusts it
      const json = pinned ? await pinnedPost(url, pinned.pin, { ...headers, ...(pinned.deviceToken ? deviceCookie(pinned.deviceToken) : {}) }) : await (await fetch(url, { method: 'POST', headers, body: '{}' })).json()
      const body = Answer.safeParse(json)
      return body.success && body.data.value.role === 'admin'
    } catch {
      return false
    }
  }
}

/** One small JSON POST to a pinned host (the answer of whoami is a few hundred bytes). */
function pinnedPost(url: URL, pin: HostPin, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', headers, agent: false, timeout: 10_000, ...pinnedTlsOptions(pin) }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        } catch (err) {
          reject(err)
        }
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('the host did not answer')))
    req.on('error', reject)
    req.end('{}')
  })
}

/** Where reader profiles live: the PC's learned ones, then those shipped with the app. */
export function profileFiles(userDataDir: string, resourcesDir: string): string[] {
  return [path.join(userDataDir, 'reader-profiles.json'), path.join(resourcesDir, 'reader-profiles', 'profiles.json')]
}
