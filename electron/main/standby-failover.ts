import fs from 'node:fs'
import https from 'node:https'
import type { PairedHost } from '../host/pairing/pair-client'
import { deviceCookie, pinnedTlsOptions } from '../host/pairing/pinned-tls'
import { StandbyWhereAnswer, STANDBY_PATHS } from '../host/standby/standby-protocol'

// A terminal PC follows a promoted standby (issue #18 item 9). Plain Node (no Electron): main
// runs it, tests/unit/standby-failover.test.ts runs it against real TLS servers.

/** How long the host must stay unreachable before the standbys are tried (a restart or a blip is shorter). */
export const HOST_GONE_AFTER_MS = 30_000
/** How often a terminal checks its host (and, while it answers, asks where the standbys are). */
export const WATCH_EVERY_MS = 10_000
/** One probe's bound: a host that does not answer within it counts as unreachable. */
const PROBE_TIMEOUT_MS = 5_000

/** The standby's URL: the host's, with the standby's address (a promoted standby serves on the host's port). */
export function standbyUrl(hostUrl: string, address: string): string {
  const url = new URL(hostUrl)
  url.hostname = address
  return url.origin
}

/** One GET over the pinned link (the branch CA only, the name checked), with the device's secret; null when it fails. */
function pinnedGet(paired: PairedHost, url: string, pathname: string): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const req = https.get(new URL(pathname, url), { ...pinnedTlsOptions(paired), agent: false, timeout: PROBE_TIMEOUT_MS, headers: deviceCookie(paired.token) }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size <= 64 * 1024) chunks.push(c)
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', () => resolve(null))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve(null))
  })
}

/** Whether a host answers at `url` with a certificate the pin accepts. */
export async function answers(paired: PairedHost, url: string): Promise<boolean> {
  return (await pinnedGet(paired, url, '/healthz'))?.status === 200
}

/** Where the host says its standbys are (null when it cannot say: unreachable, or too old to know). */
export async function askStandbys(paired: PairedHost): Promise<string[] | null> {
  const got = await pinnedGet(paired, paired.url, STANDBY_PATHS.where)
  if (got?.status !== 200) return null
  try {
    const parsed = StandbyWhereAnswer.safeParse(JSON.parse(got.body))
    return parsed.success ? parsed.data.addresses : null
  } catch {
    return null
  }
}

/** The standby addresses a terminal keeps beside its pairing (the host may be gone when they are needed). */
export function loadStandbyAddresses(file: string): string[] {
  try {
    const parsed = StandbyWhereAnswer.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data.addresses : []
  } catch {
    return []
  }
}

export function saveStandbyAddresses(file: string, addresses: string[]): void {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify({ addresses }), { mode: 0o600 })
  fs.renameSync(tmp, file)
}

export interface StandbyWatchOptions {
  /** the pairing now (read at each check: a switch or a new pairing takes effect at once) */
  paired: () => PairedHost | null
  /** where the standby addresses are kept */
  addressesFile: string
  /** the host has been unreachable HOST_GONE_AFTER_MS and a standby answers with the pin: go there */
  onSwitch: (url: string) => void | Promise<void>
  now?: () => number
  goneAfterMs?: number
  log?: (msg: string) => void
}

/**
 * One check of a terminal's host, run every WATCH_EVERY_MS: while the host answers, learn where its
 * standbys are; once it has not answered for `goneAfterMs`, try each standby at the host's port with
 * the same pin. A standby that was not promoted serves nothing, so only a promoted one is taken;
 * one that answers with another branch's certificate is refused by the pin, like any other host.
 */
export class StandbyWatch {
  private unreachableSince: number | null = null
  private readonly now: () => number

  constructor(private readonly opts: StandbyWatchOptions) {
    this.now = opts.now ?? (() => Date.now())
  }

  /** Returns the URL it switched to, or null. */
  async check(): Promise<string | null> {
    const paired = this.opts.paired()
    if (!paired) return null
    if (await answers(paired, paired.url)) {
      this.unreachableSince = null
      const addresses = await askStandbys(paired)
      if (addresses !== null) saveStandbyAddresses(this.opts.addressesFile, addresses)
      return null
    }
    const now = this.now()
    this.unreachableSince ??= now
    if (now - this.unreachableSince < (this.opts.goneAfterMs ?? HOST_GONE_AFTER_MS)) return null
    for (const address of loadStandbyAddresses(this.opts.addressesFile)) {
      const url = standbyUrl(paired.url, address)
      if (url === new URL(paired.url).origin) continue
      if (await answers(paired, url)) {
        this.opts.log?.(`the host ${paired.url} has not answered for ${Math.round((now - this.unreachableSince) / 1000)} s; the promoted standby answers at ${url}: going on there`)
        this.unreachableSince = null
        await this.opts.onSwitch(url)
        return url
      }
    }
    return null
  }

  /** Checks every `everyMs` (unref'd, one check at a time); returns the stop. */
  start(everyMs = WATCH_EVERY_MS): () => void {
    let busy = false
    const timer = setInterval(() => {
      if (busy) return
      busy = true
      void this.check()
        .catch((err: unknown) => this.opts.log?.(`standby watch: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (busy = false))
    }, everyMs)
    timer.unref()
    return () => clearInterval(timer)
  }
}
