import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Clock } from '../clock'
import { coversNames, daysLeft, issueBranchCa, issueServerCert, RENEW_BEFORE_DAYS, signCertificateRequest, type KeyAndCert, type ServerNames } from './branch-ca'
import { fingerprintOf, type Fingerprint } from './fingerprint'
import { TlsSetupError } from './tls-error'

/** The folder inside the data folder that holds the branch CA and the server certificate. */
export const TLS_DIR = 'tls'
export const TLS_FILES = { caKey: 'ca-key.pem', caCert: 'ca-cert.pem', serverKey: 'server-key.pem', serverCert: 'server-cert.pem' } as const

/** How often a running host checks whether its server certificate is due for renewal. */
export const RENEW_CHECK_MS = 6 * 60 * 60 * 1000

/** What an admin sees of the host's TLS (system.tls and the /tls page). */
export interface TlsStatus {
  fingerprint: Fingerprint
  caExpiresAt: string
  serverExpiresAt: string
  serverNames: string[]
}

export interface BranchTlsOptions {
  dataDir: string
  /** the names the server certificate must cover, read again at each renewal check (DHCP). */
  names: () => ServerNames
  clock: Clock
  log: (msg: string) => void
  /**
   * A promoted standby: the branch CA's key stayed on the old host, and the server certificate in
   * the tls folder was signed for this PC by that CA (follower.ts). It serves it as it is and
   * cannot renew it; the CA key missing is then expected, not a fault.
   */
  caKeyElsewhere?: boolean
}

interface Loaded {
  ca: KeyAndCert
  caCert: crypto.X509Certificate
  server: KeyAndCert
  serverCert: crypto.X509Certificate
}

/**
 * The branch CA and the server certificate it signed, kept in `<data>/tls` (keys mode 0600).
 * The CA key is read only to sign a new server certificate and never leaves this object.
 * First start makes both; a later start reuses the CA, so a terminal that pinned it stays paired.
 */
export class BranchTls {
  private loaded: Loaded
  private readonly renewed: Array<(server: KeyAndCert) => void> = []

  private constructor(
    private readonly opts: BranchTlsOptions,
    private readonly dir: string,
  ) {
    this.loaded = this.loadOrCreate()
  }

  /** Loads (or on first start makes) the certificates; throws TlsSetupError naming a damaged or unreadable file. */
  static open(opts: BranchTlsOptions): BranchTls {
    const dir = path.join(opts.dataDir, TLS_DIR)
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    } catch (err) {
      throw new TlsSetupError('TLS_WRITE_FAILED', TLS_DIR, err)
    }
    const tls = new BranchTls(opts, dir)
    tls.renewIfDue()
    return tls
  }

  /** The server's key and certificate, for the TLS server. */
  get server(): KeyAndCert {
    return this.loaded.server
  }

  /** The CA certificate (PEM), for download and for clients that pin it. */
  get caPem(): string {
    return this.loaded.ca.certPem
  }

  /** The CA certificate (DER), what Windows' certificate import takes as `.cer`. */
  get caDer(): Buffer {
    return Buffer.from(this.loaded.caCert.raw)
  }

  /** Whether this host holds the branch CA's key (false on a promoted standby): only then can it sign. */
  get holdsCaKey(): boolean {
    return this.loaded.ca.keyPem !== ''
  }

  /**
   * Signs a standby's certificate request with the branch CA for `names` (the caller checked that
   * the device is a standby the admin made and chose the names). Throws CertificateRequestError for
   * a bad request, TlsSetupError when this host holds no CA key.
   */
  signStandby(csrPem: string, names: ServerNames): string {
    if (!this.holdsCaKey) throw new TlsSetupError('TLS_CA_INCOMPLETE', TLS_FILES.caKey)
    return signCertificateRequest(this.loaded.ca, csrPem, names, this.opts.clock.now())
  }

  /** The names the host's own server certificate covers, lower-cased (a standby's certificate may not claim them). */
  ownNames(): Set<string> {
    const alt = (this.loaded.serverCert.subjectAltName ?? '').split(', ')
    return new Set(alt.map((a) => a.replace(/^(DNS|IP Address):/, '').toLowerCase()))
  }

  /** The CA's fingerprint; it is the branch's identity and stays the same across renewals. */
  get fingerprint(): Fingerprint {
    return fingerprintOf(this.caDer)
  }

  status(): TlsStatus {
    return {
      fingerprint: this.fingerprint,
      caExpiresAt: new Date(this.loaded.caCert.validTo).toISOString(),
      serverExpiresAt: new Date(this.loaded.serverCert.validTo).toISOString(),
      serverNames: (this.loaded.serverCert.subjectAltName ?? '').split(', ').filter(Boolean),
    }
  }

  /** The addresses a terminal may type to reach the host (its names and LAN addresses, not loopback). */
  lanUrls(port: number): string[] {
    const names = this.opts.names()
    const hosts = [...names.dns.filter((d) => d !== 'localhost'), ...names.ips.filter((ip) => ip !== '127.0.0.1' && ip !== '::1').map((ip) => (ip.includes(':') ? `[${ip}]` : ip))]
    return hosts.map((h) => `https://${h}:${port}`)
  }

  /** Calls `fn` with the new key and certificate each time the server certificate is renewed. */
  onRenew(fn: (server: KeyAndCert) => void): void {
    this.renewed.push(fn)
  }

  /**
   * Replaces the server certificate, signed by the same CA, when it ends within RENEW_BEFORE_DAYS
   * or no longer names one of the host's addresses. Returns whether it did.
   */
  renewIfDue(): boolean {
    const now = this.opts.clock.now()
    const names = this.opts.names()
    const { serverCert } = this.loaded
    const left = daysLeft(serverCert, now)
    if (left > RENEW_BEFORE_DAYS && coversNames(serverCert, names)) return false
    const why = left > RENEW_BEFORE_DAYS ? 'the host has a new name or address' : `it ends in ${Math.max(0, Math.floor(left))} days`
    if (!this.holdsCaKey) {
      // a promoted standby: said at each check, so the admin acts before the certificate ends
      this.opts.log(
        `TLS: the server certificate should be renewed (${why}) but the branch CA's key stayed on the old host: copy the old host's tls/ca-key.pem into this data folder's tls folder, or terminals will refuse this host after ${this.status().serverExpiresAt} (证书需续期：请将旧主机的 tls/ca-key.pem 复制到本机数据目录的 tls 文件夹)`,
      )
      return false
    }
    this.loaded = this.issueServer(this.loaded.ca, this.loaded.caCert, names, now)
    this.opts.log(`TLS: new server certificate from the branch CA (${why}); valid until ${this.status().serverExpiresAt}`)
    for (const fn of this.renewed) fn(this.loaded.server)
    return true
  }

  /** Checks for renewal every `everyMs` (unref'd); returns the stop. */
  startRenewal(everyMs = RENEW_CHECK_MS): () => void {
    const timer = setInterval(() => {
      try {
        this.renewIfDue()
      } catch (err) {
        // the running certificate stays in use; the admin sees why in the log
        this.opts.log(`TLS: renewal failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    }, everyMs)
    timer.unref()
    return () => clearInterval(timer)
  }

  private loadOrCreate(): Loaded {
    const now = this.opts.clock.now()
    const caKeyPem = this.read(TLS_FILES.caKey)
    const caCertPem = this.read(TLS_FILES.caCert)
    // checked first: an empty tls folder on a promoted standby must not become a new CA (every pin would break)
    if (caKeyPem === null && this.opts.caKeyElsewhere) return this.loadSignedElsewhere(caCertPem)
    if (caKeyPem === null && caCertPem === null) {
      const ca = issueBranchCa(this.opts.names().dns[0] ?? 'host', now)
      this.write(TLS_FILES.caKey, ca.keyPem)
      this.write(TLS_FILES.caCert, ca.certPem)
      this.opts.log('TLS: first LAN start: made the branch CA')
      return this.issueServer(ca, new crypto.X509Certificate(ca.certPem), this.opts.names(), now)
    }
    if (caKeyPem === null) throw new TlsSetupError('TLS_CA_INCOMPLETE', TLS_FILES.caKey)
    if (caCertPem === null) throw new TlsSetupError('TLS_CA_INCOMPLETE', TLS_FILES.caCert)
    const caCert = parseCert(caCertPem, TLS_FILES.caCert)
    const caKey = parseKey(caKeyPem, TLS_FILES.caKey)
    if (!caCert.ca || !caCert.checkPrivateKey(caKey)) throw new TlsSetupError('TLS_FILE_CORRUPT', TLS_FILES.caCert)
    if (new Date(caCert.validTo).getTime() <= now.getTime()) throw new TlsSetupError('TLS_CA_EXPIRED', TLS_FILES.caCert)
    const ca = { keyPem: caKeyPem, certPem: caCertPem }
    const serverKeyPem = this.read(TLS_FILES.serverKey)
    const serverCertPem = this.read(TLS_FILES.serverCert)
    // a deleted server certificate is the documented way to get a new one: the CA is what terminals pin
    if (serverKeyPem === null || serverCertPem === null) return this.issueServer(ca, caCert, this.opts.names(), now)
    const serverCert = parseCert(serverCertPem, TLS_FILES.serverCert)
    const serverKey = parseKey(serverKeyPem, TLS_FILES.serverKey)
    if (!serverCert.verify(caCert.publicKey) || !serverCert.checkPrivateKey(serverKey)) throw new TlsSetupError('TLS_NOT_SIGNED_BY_CA', TLS_FILES.serverCert)
    return { ca, caCert, server: { keyPem: serverKeyPem, certPem: serverCertPem }, serverCert }
  }

  /** A promoted standby's certificate: the CA certificate it pinned and its own key and certificate, signed by that CA. */
  private loadSignedElsewhere(caCertPem: string | null): Loaded {
    const serverKeyPem = this.read(TLS_FILES.serverKey)
    const serverCertPem = this.read(TLS_FILES.serverCert)
    if (caCertPem === null || serverKeyPem === null || serverCertPem === null) throw new TlsSetupError('TLS_STANDBY_NOT_SIGNED', caCertPem === null ? TLS_FILES.caCert : TLS_FILES.serverCert)
    const caCert = parseCert(caCertPem, TLS_FILES.caCert)
    const serverCert = parseCert(serverCertPem, TLS_FILES.serverCert)
    const serverKey = parseKey(serverKeyPem, TLS_FILES.serverKey)
    if (!caCert.ca || !serverCert.verify(caCert.publicKey) || !serverCert.checkPrivateKey(serverKey)) throw new TlsSetupError('TLS_NOT_SIGNED_BY_CA', TLS_FILES.serverCert)
    return { ca: { keyPem: '', certPem: caCertPem }, caCert, server: { keyPem: serverKeyPem, certPem: serverCertPem }, serverCert }
  }

  private issueServer(ca: KeyAndCert, caCert: crypto.X509Certificate, names: ServerNames, now: Date): Loaded {
    const server = issueServerCert(ca, names, now)
    // the key first: a certificate without its key on disk would be refused at the next start
    this.write(TLS_FILES.serverKey, server.keyPem)
    this.write(TLS_FILES.serverCert, server.certPem)
    return { ca, caCert, server, serverCert: new crypto.X509Certificate(server.certPem) }
  }

  /** A file's text, or null when it does not exist; any other failure is named. */
  private read(name: string): string | null {
    try {
      return fs.readFileSync(path.join(this.dir, name), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw new TlsSetupError('TLS_FILE_UNREADABLE', name, err)
    }
  }

  /** Writes through a temporary file and a rename, so a crash leaves the old file or the new, never half of one. */
  private write(name: string, text: string): void {
    const file = path.join(this.dir, name)
    const tmp = `${file}.${process.pid}.tmp`
    try {
      fs.writeFileSync(tmp, text, { mode: 0o600 })
      fs.chmodSync(tmp, 0o600)
      fs.renameSync(tmp, file)
    } catch (err) {
      fs.rmSync(tmp, { force: true })
      throw new TlsSetupError('TLS_WRITE_FAILED', name, err)
    }
  }
}

function parseCert(pem: string, name: string): crypto.X509Certificate {
  try {
    return new crypto.X509Certificate(pem)
  } catch (err) {
    throw new TlsSetupError('TLS_FILE_CORRUPT', name, err)
  }
}

function parseKey(pem: string, name: string): crypto.KeyObject {
  try {
    return crypto.createPrivateKey(pem)
  } catch (err) {
    throw new TlsSetupError('TLS_FILE_CORRUPT', name, err)
  }
}
