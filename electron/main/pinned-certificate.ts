import type { Session } from 'electron'
import { loadPairedHost } from '../host/pairing/pair-client'
import type { PinnedCertificateError } from '../host/pairing/pin-check'
import { judgeCertificate, type TrustedHost } from './start-plan'

/** Where a terminal keeps its pairing, in the app's userData folder (savePairedHost writes it, mode 0600). */
export const PAIRED_HOST_FILE = 'paired-host.json'

/** Chromium's answers to a certificate check: trust it, refuse it, or keep Chromium's own verdict. */
const TRUST = 0
const REFUSE = -2
const CHROMIUM_VERDICT = -3

/**
 * The window talks to its host over TLS: the host's certificate is judged by the pin
 * (judgeCertificate), never by Windows' certificate store, and a different one is refused, with
 * `warn` telling the user. Any other host keeps Chromium's own verdict. `trusted` (or the pairing
 * file, when a path is given) is read at each new connection, so a pairing made later takes
 * effect at once.
 */
export function installPinnedCertificateCheck(ses: Session, trusted: string | (() => TrustedHost | null), warn: (error: PinnedCertificateError) => void): void {
  const current = typeof trusted === 'string' ? () => loadPairedHost(trusted) : trusted
  ses.setCertificateVerifyProc((request, callback) => {
    const verdict = judgeCertificate(current(), request.hostname, request.certificate.data, new Date())
    if (verdict.kind === 'chromium') return callback(CHROMIUM_VERDICT)
    if (verdict.kind === 'trust') return callback(TRUST)
    warn(verdict.error)
    callback(REFUSE)
  })
}
