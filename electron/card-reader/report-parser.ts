import { KeyboardReportParser } from './keyboard-parser'
import type { RawRead, ReportParser } from './parser-types'
import type { ReaderProfile } from './reader-profile'
import { uidFromBytes, uidFromText, type UidResult } from '@shared/domain/card-uid'
import { VendorReportParser } from './vendor-parser'

/** A fresh report parser for a reader profile. */
export function createParser(profile: ReaderProfile): ReportParser {
  if (profile.kind === 'keyboard') {
    return new KeyboardReportParser({ reportId: profile.reportId, keyTimeoutMs: profile.keyTimeoutMs })
  }
  return new VendorReportParser(profile)
}

/** The canonical UID of a raw read under a profile's UID format (reader text must be full width). */
export function decodeRead(profile: ReaderProfile, read: RawRead): UidResult {
  if (profile.kind === 'keyboard' && read.kind === 'text') return uidFromText(read.text, profile.uidFormat, { exact: true })
  if (profile.kind === 'vendor' && read.kind === 'bytes') return uidFromBytes(read.bytes, profile.uidFormat)
  return { ok: false, error: 'bad-format', message: `a ${profile.kind} profile cannot decode a ${read.kind} read` }
}
