import os from 'node:os'
import type { ServerNames } from './branch-ca'

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', ''])

/**
 * The names and addresses a terminal may use to reach this host: the computer's name (and its
 * `.local` mDNS name), localhost, loopback, and the bound address or, bound to every interface,
 * each interface's address. Link-local v6 addresses are left out: they need a zone no URL carries.
 */
export function lanServerNames(bind: string, hostname = os.hostname(), interfaces = os.networkInterfaces()): ServerNames {
  const name = hostname.toLowerCase()
  const dns = new Set<string>(name ? [name] : [])
  if (name && !name.includes('.')) dns.add(`${name}.local`)
  dns.add('localhost')
  const ips = new Set(['127.0.0.1', '::1'])
  const bare = bind.replace(/^\[|\]$/g, '')
  if (WILDCARD_BINDS.has(bind)) {
    for (const list of Object.values(interfaces)) {
      for (const i of list ?? []) if (!i.address.toLowerCase().startsWith('fe80:')) ips.add(i.address)
    }
  } else if (/^[\d.]+$/.test(bare) || bare.includes(':')) ips.add(bare)
  else dns.add(bare.toLowerCase())
  return { dns: [...dns], ips: [...ips] }
}
