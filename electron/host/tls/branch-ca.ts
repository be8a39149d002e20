import crypto from 'node:crypto'
import net from 'node:net'
// node-forge, because Node's crypto reads and verifies X.509 but cannot write a certificate:
// forge is one pure-JS package without dependencies (selfsigned is a thin wrapper over it that
// cannot sign with our own CA; @peculiar/x509 pulls in eleven packages). Keys are made by Node's
// crypto (native, fast) and only handed to forge for signing.
import forge from 'node-forge'

/** How long the branch CA is valid: terminals pin it, so it outlives any PC it is installed on. */
export const CA_VALID_DAYS = 20 * 365
/** How long one server certificate is valid; renewed well before (RENEW_BEFORE_DAYS). */
export const SERVER_VALID_DAYS = 365
/** A server certificate this close to its end is replaced by one from the same CA. */
export const RENEW_BEFORE_DAYS = 30
/** A certificate is dated this much before its issue, so a PC whose clock is a little behind still accepts it. */
const BACKDATE_MS = 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/** A certificate and its private key, both PEM. */
export interface KeyAndCert {
  keyPem: string
  certPem: string
}

/** What the server certificate is for: names (DNS) and addresses (IP) a terminal may use. */
export interface ServerNames {
  dns: readonly string[]
  ips: readonly string[]
}

function newKeyPair(): { privatePem: string; publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  // RSA 2048: the widest accepted (Windows certificate store, every browser); forge signs only RSA
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const forgeKey = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey
  return { privatePem, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) }
}

function serialNumber(): string {
  // positive (high bit clear) and unique: 16 random bytes
  const bytes = crypto.randomBytes(16)
  bytes[0] = bytes[0]! & 0x7f
  return bytes.toString('hex')
}

function validity(cert: forge.pki.Certificate, now: Date, days: number): void {
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS)
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS)
}

/** Makes the branch's certificate authority: a self-signed CA that signs only server certificates. */
export function issueBranchCa(branchName: string, now: Date): KeyAndCert {
  const keys = newKeyPair()
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = serialNumber()
  validity(cert, now, CA_VALID_DAYS)
  const subject = [
    { name: 'commonName', value: `Keyuan branch CA ${branchName}` },
    { name: 'organizationName', value: 'Keyuan' },
  ]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { keyPem: keys.privatePem, certPem: forge.pki.certificateToPem(cert) }
}

/** Makes a server certificate for `names`, signed by the branch CA (so a pinned CA still trusts it). */
export function issueServerCert(ca: KeyAndCert, names: ServerNames, now: Date): KeyAndCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem)
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey
  const keys = newKeyPair()
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = serialNumber()
  validity(cert, now, SERVER_VALID_DAYS)
  cert.setSubject([{ name: 'commonName', value: names.dns[0] ?? names.ips[0] ?? 'keyuan-host' }])
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2, value })), ...names.ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ])
  cert.sign(caKey, forge.md.sha256.create())
  return { keyPem: keys.privatePem, certPem: forge.pki.certificateToPem(cert) }
}

/** Whether a certificate's names cover every wanted name and address. */
export function coversNames(cert: crypto.X509Certificate, names: ServerNames): boolean {
  const alt = (cert.subjectAltName ?? '').split(', ')
  const dns = new Set(alt.filter((a) => a.startsWith('DNS:')).map((a) => a.slice(4).toLowerCase()))
  const ips = new Set(alt.filter((a) => a.startsWith('IP Address:')).map((a) => normalIp(a.slice(11))))
  return names.dns.every((d) => dns.has(d.toLowerCase())) && names.ips.every((ip) => ips.has(normalIp(ip)))
}

function normalIp(ip: string): string {
  if (!net.isIPv6(ip)) return ip
  // Node prints v6 SANs expanded, os.networkInterfaces compressed: compare the URL parser's canonical form
  return new URL(`http://[${ip}]`).hostname
}

/** Days from `now` to the certificate's end. */
export function daysLeft(cert: crypto.X509Certificate, now: Date): number {
  return (new Date(cert.validTo).getTime() - now.getTime()) / DAY_MS
}
