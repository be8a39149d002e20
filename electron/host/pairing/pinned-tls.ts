import crypto from 'node:crypto'
import https from 'node:https'
import type { PeerCertificate } from 'node:tls'
import { systemClock, type Clock } from '../clock'
import { fingerprintOf } from '../tls/fingerprint'
import { DEVICE_COOKIE } from './device-registry'
import { checkPinnedCertificate, PinnedCertificateError, type HostPin } from './pin-check'

/** OpenSSL's verdicts that mean "not signed by the CA we trust": with only the pinned CA trusted, another certificate ends here. */
const NOT_OUR_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
])
const OUT_OF_DATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])

/** TLS options for a terminal-mode client (https, ws): trust the pinned branch CA only, and judge each certificate by checkPinnedCertificate. */
export function pinnedTlsOptions(pin: HostPin, clock: Clock = systemClock) {
  return {
    ca: pin.caPem,
    rejectUnauthorized: true as const,
    minVersion: 'TLSv1.2' as const,
    checkServerIdentity: (hostname: string, cert: PeerCertificate): Error | undefined => {
      const verdict = checkPinnedCertificate(pin, cert.raw, hostname, clock.now())
      return verdict.ok ? undefined : verdict.error
    },
  }
}

/** An https Agent that reaches only the pinned host (keep-alive: one TLS handshake for many calls). */
export function pinnedAgent(pin: HostPin, clock: Clock = systemClock): https.Agent {
  return new https.Agent({ ...pinnedTlsOptions(pin, clock), keepAlive: true })
}

/** The Cookie header a paired device sends with every call. */
export function deviceCookie(token: string): { cookie: string } {
  return { cookie: `${DEVICE_COOKIE}=${token}` }
}

/**
 * The error a terminal shows for a failed connection: OpenSSL's refusal of a certificate the
 * pinned CA did not sign becomes the typed PinnedCertificateError (zh + en); anything else is as it was.
 */
export function explainConnectionError(err: unknown, pin: HostPin): unknown {
  if (err instanceof PinnedCertificateError) return err
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return err
  const expected = fingerprintOf(Buffer.from(new crypto.X509Certificate(pin.caPem).raw)).shortCode
  if (NOT_OUR_CA.has(code)) return new PinnedCertificateError('host_certificate_changed', expected)
  if (OUT_OF_DATE.has(code)) return new PinnedCertificateError('host_certificate_expired', expected)
  return err
}
