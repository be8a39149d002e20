import { Bonjour, type Service } from 'bonjour-service'

/** The DNS-SD type a Keyuan host announces: `_keyuan._tcp`. */
export const SERVICE_TYPE = 'keyuan'
/** How long a terminal listens for hosts before it shows what it found (mDNS answers come within a second on a LAN). */
export const FIND_WAIT_MS = 3000

/** A host found on the LAN. Its announcement proves nothing: pairing (the code) does. */
export interface FoundHost {
  /** the announced name, e.g. `Keyuan 前台主机` */
  name: string
  port: number
  /** IPv4 first, link-local IPv6 left out (no URL carries its zone) */
  addresses: string[]
  /** the 核对码 the host announces, to tell two hosts apart before pairing */
  shortCode: string | null
  /** what the terminal may type: `https://address:port` for each address */
  urls: string[]
}

function found(s: Service): FoundHost {
  const addresses = (s.addresses ?? []).filter((a) => !a.toLowerCase().startsWith('fe80:')).sort((a, b) => Number(a.includes(':')) - Number(b.includes(':')))
  const code = (s.txt as Record<string, unknown> | undefined)?.code
  return {
    name: s.name,
    port: s.port,
    addresses,
    shortCode: typeof code === 'string' ? code : null,
    urls: addresses.map((a) => `https://${a.includes(':') ? `[${a}]` : a}:${s.port}`),
  }
}

/**
 * Announces the host on the LAN by mDNS/DNS-SD (multicast on the local link only, no internet).
 * A failure to announce is logged and changes nothing else: terminals can still type the address.
 * Returns the stop.
 */
export function advertiseHost(opts: { name: string; port: number; shortCode: string; log: (msg: string) => void }): () => Promise<void> {
  const mdns = new Bonjour(undefined, (err: unknown) => opts.log(`mDNS: ${err instanceof Error ? err.message : String(err)}`))
  const service = mdns.publish({ name: opts.name, type: SERVICE_TYPE, port: opts.port, txt: { code: opts.shortCode } })
  service.on('error', (err: unknown) => opts.log(`mDNS: cannot announce ${opts.name}: ${err instanceof Error ? err.message : String(err)}`))
  return () => new Promise<void>((resolve) => mdns.unpublishAll(() => mdns.destroy(() => resolve())))
}

/**
 * Listens for Keyuan hosts on the LAN for `waitMs`, or until `enough` says what was found will do;
 * resolves with each host found once.
 */
export function findHosts(waitMs = FIND_WAIT_MS, enough: (hosts: FoundHost[]) => boolean = () => false): Promise<FoundHost[]> {
  return new Promise((resolve) => {
    const hosts = new Map<string, FoundHost>()
    const mdns = new Bonjour(undefined, () => {
      // a PC without multicast finds nothing; the terminal then types the address
    })
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      browser.stop()
      mdns.destroy(() => resolve([...hosts.values()]))
    }
    const browser = mdns.find({ type: SERVICE_TYPE }, (s) => {
      hosts.set(`${s.name}:${s.port}`, found(s))
      if (enough([...hosts.values()])) finish()
    })
    const timer = setTimeout(finish, waitMs)
  })
}
