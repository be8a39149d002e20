import type { Session } from 'electron'
import { loadPairedHost } from '../host/pairing/pair-client'
import { checkPinnedCertificate, type PinnedCertificateError } from '../host/pairing/pin-check'

/** Where a terminal keeps its pairing, in the app's userData folder (savePairedHost writes it, mode 0600). */
export const PAIRED_HOST_FILE = 'paired-host.json'

/** Chromium's answers to a certificate check: trust it, refuse it, or keep Chromium's own verdict. */
const TRUST = 0
const REFUSE = -2
const CHROMIUM_VERDICT = -3

/**
 * In terminal mode the page talks to the paired host over TLS: its certificate is judged by the
 * pin (checkPinnedCertificate), never by Windows' certificate store, and a different one is
 * refused, with `warn` telling the user. Any other host keeps Chromium's own verdict. The
 * pairing file is read at each new connection, so a pairing made later takes effect at once.
 */
export function installPinnedCertificateCheck(ses: Session, pairedFile: string, warn: (error: PinnedCertificateError) => void): void {
  ses.setCertificateVerifyProc((request, callback) => {
    const paired = loadPairedHost(pairedFile)
    if (!paired || new URL(paired.url).hostname.replace(/^\[|\]$/g, '') !== request.hostname.replace(/^\[|\]$/g, '')) return callback(CHROMIUM_VERDICT)
    const verdict = checkPinnedCertificate(paired, request.certificate.data, request.hostname, new Date())
    if (verdict.ok) return callback(TRUST)
    warn(verdict.error)
    callback(REFUSE)
  })
}
