/** Why the host cannot serve TLS; it then refuses to start rather than serve the LAN in clear. */
export type TlsFault = 'TLS_FILE_UNREADABLE' | 'TLS_FILE_CORRUPT' | 'TLS_CA_INCOMPLETE' | 'TLS_CA_EXPIRED' | 'TLS_NOT_SIGNED_BY_CA' | 'TLS_WRITE_FAILED' | 'TLS_STANDBY_NOT_SIGNED'

const MESSAGES: Record<TlsFault, string> = {
  TLS_FILE_UNREADABLE: 'a certificate or key file in the data folder cannot be read (check its owner and permissions)',
  TLS_FILE_CORRUPT: 'a certificate or key file in the data folder is damaged',
  TLS_CA_INCOMPLETE: 'the branch CA is half there (its certificate or its key is missing)',
  TLS_CA_EXPIRED: 'the branch CA has expired',
  TLS_NOT_SIGNED_BY_CA: 'the server certificate was not signed by this branch CA, or its key does not match it',
  TLS_WRITE_FAILED: 'the certificate files could not be written to the data folder',
  TLS_STANDBY_NOT_SIGNED: 'this promoted standby never received its server certificate from the branch CA',
}

/** What to do about it, printed with the fault (the host console is the admin's). */
const REMEDY: Record<TlsFault, string> = {
  TLS_FILE_UNREADABLE: 'the host does not serve the LAN without TLS',
  TLS_FILE_CORRUPT:
    'restore the tls folder from a backup; deleting server-cert.pem and server-key.pem makes a new server certificate from the same CA, deleting the whole tls folder makes a new CA (every terminal must pair again)',
  TLS_CA_INCOMPLETE: 'restore both ca-cert.pem and ca-key.pem from a backup, or delete the tls folder to make a new CA (every terminal must pair again)',
  TLS_CA_EXPIRED: 'delete the tls folder to make a new CA (every terminal must pair again)',
  TLS_NOT_SIGNED_BY_CA: 'delete server-cert.pem and server-key.pem: the host makes a new server certificate from the branch CA',
  TLS_WRITE_FAILED: 'the host does not serve the LAN without TLS',
  TLS_STANDBY_NOT_SIGNED:
    "copy the old host's tls folder into this data folder if its disk survives (terminals then stay paired); otherwise delete standby.promoted.json and the tls folder to make a new branch CA (every terminal must pair again)",
}

/** A TLS set-up fault: the fault, the file it concerns (a name inside the tls folder) and what to do. */
export class TlsSetupError extends Error {
  constructor(
    readonly fault: TlsFault,
    readonly file: string,
    cause?: unknown,
  ) {
    super(`${MESSAGES[fault]} (${file}): ${REMEDY[fault]}`, cause === undefined ? undefined : { cause })
    this.name = 'TlsSetupError'
  }
}
