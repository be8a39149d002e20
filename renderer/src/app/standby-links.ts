/** Where the browser keeps the standbys' addresses its host told it: the host may be gone when they are needed. */
export const STANDBY_ADDRESSES_KEY = 'keyuan.standbyAddresses'

/**
 * The links the offline banner offers (issue #18 item 9): each standby's address on the page's own
 * scheme and port (a promoted standby serves on the host's port, with the same branch CA, so a
 * browser that trusts the CA trusts it). The page's own origin is left out.
 */
export function standbyLinks(pageUrl: string, addresses: readonly string[]): string[] {
  const page = new URL(pageUrl)
  const out: string[] = []
  for (const a of addresses) {
    try {
      const url = new URL(page.origin)
      url.hostname = a
      if (url.origin !== page.origin && !out.includes(url.origin)) out.push(url.origin)
    } catch {
      // not an address a URL can carry: left out
    }
  }
  return out
}

/** The addresses kept by an earlier visit (anything unreadable counts as none). */
export function keptStandbyAddresses(storage: Pick<Storage, 'getItem'>): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STANDBY_ADDRESSES_KEY) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string').slice(0, 16) : []
  } catch {
    return []
  }
}
