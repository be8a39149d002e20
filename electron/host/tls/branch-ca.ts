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
  const keys = newKeyPair()
  return { keyPem: keys.privatePem, certPem: signServerCert(ca, keys.publicKey, names, now) }
}

/** Signs a server certificate for someone else's public key (a standby's, from its CSR) and `names`. */
function signServerCert(ca: KeyAndCert, publicKey: forge.pki.PublicKey, names: ServerNames, now: Date): string {
  const caCert = forge.pki.certificateFromPem(ca.certPem)
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
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
  return forge.pki.certificateToPem(cert)
}

/** Why a certificate request is not signed. */
export class CertificateRequestError extends Error {
  override name = 'CertificateRequestError'
}

/** A standby's new key and its certificate signing request (PEM): the key stays on the standby, the CSR goes to the host. */
export function makeCertificateRequest(commonName: string): { keyPem: string; csrPem: string } {
  const keys = newKeyPair()
  const csr = forge.pki.createCertificationRequest()
  csr.publicKey = keys.publicKey
  csr.setSubject([{ name: 'commonName', value: commonName.slice(0, 60) || 'keyuan-standby' }])
  csr.sign(keys.privateKey, forge.md.sha256.create())
  return { keyPem: keys.privatePem, csrPem: forge.pki.certificationRequestToPem(csr) }
}

/**
 * Signs a CSR with the branch CA for `names` (chosen by the host, not read from the CSR): the CSR
 * only proves that its sender holds the key. Refuses a CSR that does not parse, whose signature
 * does not verify, or whose key is not RSA of at least 2048 bits.
 */
export function signCertificateRequest(ca: KeyAndCert, csrPem: string, names: ServerNames, now: Date): string {
  let csr: forge.pki.CertificateSigningRequest
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem)
  } catch {
    throw new CertificateRequestError('the certificate request does not parse (not a PEM CSR with an RSA key)')
  }
  const key = csr.publicKey as forge.pki.rsa.PublicKey | null
  if (!key || typeof key.n?.bitLength !== 'function' || key.n.bitLength() < 2048) throw new CertificateRequestError('the certificate request needs an RSA key of 2048 bits or more')
  let verified = false
  try {
    verified = csr.verify()
  } catch {
    // forge throws on a signature of the wrong length: the same verdict
    verified = false
  }
  if (!verified) throw new CertificateRequestError('the certificate request is not signed by its own key')
  if (names.dns.length + names.ips.length === 0) throw new CertificateRequestError('no name or address to certify')
  return signServerCert(ca, key, names, now)
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
