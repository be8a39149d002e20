import crypto from 'node:crypto'
import net from 'node:net'
import type { ApiErrorShape } from '@shared/contract/common'
import { fingerprintOf } from '../tls/fingerprint'

/** What a terminal pinned at pairing: the branch CA itself and its SHA-256 (colon hex). */
export interface HostPin {
  caPem: string
  sha256: string
}

/** Why a certificate is refused; each has a zh and an en sentence. */
export type PinFault = 'host_certificate_changed' | 'host_certificate_expired' | 'host_name_not_in_certificate'

const TEXT: Record<PinFault, { zh: string; en: string }> = {
  host_certificate_changed: {
    zh: '主机证书与配对时不同，已拒绝连接。可能有人冒充主机；若主机确实重装过，请管理员核对后重新配对。',
    en: 'The host presented a certificate other than the one paired, so the connection was refused. Someone may be posing as the host; if the host was really reinstalled, pair again after the admin checks it.',
  },
  host_certificate_expired: {
    zh: '主机证书不在有效期内（或本机时间不对），已拒绝连接。',
    en: "The host's certificate is outside its dates (or this PC's clock is wrong), so the connection was refused.",
  },
  host_name_not_in_certificate: {
    zh: '所连接的地址不在主机证书中，已拒绝连接。请使用配对时的地址。',
    en: "The address connected to is not named in the host's certificate, so the connection was refused. Use the address you paired with.",
  },
}

/** A refused host certificate: never accepted silently; the text says so in zh and en. */
export class PinnedCertificateError extends Error {
  readonly code = 'FORBIDDEN' as const
  readonly zh: string
  readonly en: string

  constructor(
    readonly reason: PinFault,
    /** the pinned CA's short code, to compare with what the host's admin page shows */
    readonly expectedCode: string,
  ) {
    super(TEXT[reason].en)
    this.name = 'PinnedCertificateError'
    this.zh = TEXT[reason].zh
    this.en = TEXT[reason].en
  }

  /** The typed error shape the renderer translates (reasons.host_certificate_changed …). */
  toShape(): ApiErrorShape {
    return { code: this.code, reason: this.reason, message: this.en, params: { expected: this.expectedCode } }
  }
}

/** The verdict on one certificate the host presented. */
export type PinVerdict = { ok: true } | { ok: false; error: PinnedCertificateError }

function parse(cert: string | Buffer): crypto.X509Certificate | null {
  try {
    return new crypto.X509Certificate(cert)
  } catch {
    return null
  }
}

/**
 * Whether the server certificate `leaf` (PEM or DER) may be trusted for `hostname`: signed by the
 * pinned branch CA (whose own fingerprint must still be the pin), inside its dates at `now`, and
 * naming the host. Pure: Electron main calls it from setCertificateVerifyProc, Node clients from
 * checkServerIdentity, tests directly. A renewed server certificate passes (same CA); a new CA does not.
 */
export function checkPinnedCertificate(pin: HostPin, leaf: string | Buffer, hostname: string, now: Date): PinVerdict {
  const ca = parse(pin.caPem)
  const expected = ca ? fingerprintOf(Buffer.from(ca.raw)).shortCode : ''
  const refuse = (reason: PinFault): PinVerdict => ({ ok: false, error: new PinnedCertificateError(reason, expected) })
  if (!ca || fingerprintOf(Buffer.from(ca.raw)).sha256 !== pin.sha256) return refuse('host_certificate_changed')
  const cert = parse(leaf)
  // the CA itself is no server certificate: its key signs, it never serves
  if (!cert || cert.ca || !cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return refuse('host_certificate_changed')
  const t = now.getTime()
  if (t < new Date(cert.validFrom).getTime() || t > new Date(cert.validTo).getTime()) return refuse('host_certificate_expired')
  const bare = hostname.replace(/^\[|\]$/g, '')
  const named = net.isIP(bare) ? cert.checkIP(bare) : cert.checkHost(bare)
  if (named === undefined) return refuse('host_name_not_in_certificate')
  return { ok: true }
}
