import crypto from 'node:crypto'

/** The CA's SHA-256 fingerprint: in full (colon hex, as browsers show it) and as a code a person reads aloud. */
export interface Fingerprint {
  /** 32 bytes as `AB:CD:…`, what Windows and browsers show under "SHA-256". */
  sha256: string
  /** the first 16 bytes as 8 groups of 4 hex digits, `3F2A 91C0 …`: enough to compare by eye, short enough to read out. */
  shortCode: string
}

/** The fingerprint of a certificate given in DER. */
export function fingerprintOf(der: Buffer): Fingerprint {
  const hex = crypto.createHash('sha256').update(der).digest('hex').toUpperCase()
  return {
    sha256: hex.match(/../g)!.join(':'),
    shortCode: hex.slice(0, 32).match(/.{4}/g)!.join(' '),
  }
}
