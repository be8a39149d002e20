import { toHex } from '@shared/domain/hex'
import type { ParserEvent, RejectReason, ReportParser } from './parser-types'

export interface VendorParserOptions {
  reportId?: number
  lengthByteOffset: number
  uidOffset: number
  maxUidLength: number
  checksum: 'none' | 'xor' | 'sum8'
  repeatSuppressMs: number
}

/** The check byte a vendor report carries over `bytes` (xor of all, or their sum mod 256). */
export function checkByte(kind: 'xor' | 'sum8', bytes: Uint8Array): number {
  let v = 0
  for (const b of bytes) v = kind === 'xor' ? v ^ b : (v + b) & 0xff
  return v
}

/**
 * Parser for vendor-report readers: one report holds a length byte and that many UID bytes
 * (and optionally a check byte). Length 0 means no card. Such readers repeat the report
 * while the card stays on them, so the same UID again within `repeatSuppressMs` of its last
 * report is the same swipe; a "no card" report or another UID ends it.
 */
export class VendorReportParser implements ReportParser {
  private last: { uid: string; at: number } | null = null

  constructor(private readonly options: VendorParserOptions) {}

  feed(report: Uint8Array, at: number): ParserEvent[] {
    const o = this.options
    if (o.reportId !== undefined && report[0] !== o.reportId) return []
    const reject = (reason: RejectReason, detail: string): ParserEvent[] => [
      { type: 'rejected', reason, detail: `${detail}: ${toHex(report)}`, at, reports: [report] },
    ]
    const length = report[o.lengthByteOffset]
    if (length === undefined) return reject('malformed-report', `report of ${report.length} bytes has no length byte`)
    if (length === 0) {
      this.last = null
      return []
    }
    if (length > o.maxUidLength) return reject('bad-length', `UID length ${length} above ${o.maxUidLength}`)
    const end = o.uidOffset + length
    const needed = end + (o.checksum === 'none' ? 0 : 1)
    if (needed > report.length) return reject('truncated', `UID of ${length} bytes needs ${needed} bytes`)
    if (o.checksum !== 'none' && checkByte(o.checksum, report.subarray(o.lengthByteOffset, end)) !== report[end]) {
      return reject('checksum', `${o.checksum} check byte does not match`)
    }
    const bytes = report.slice(o.uidOffset, end)
    const uid = toHex(bytes)
    const repeat = this.last !== null && this.last.uid === uid && at - this.last.at < o.repeatSuppressMs
    this.last = { uid, at }
    if (repeat) return []
    return [{ type: 'read', read: { kind: 'bytes', bytes }, at, reports: [report] }]
  }

  tick(): ParserEvent[] {
    return []
  }

  deadline(): number | null {
    return null
  }

  abort(): ParserEvent[] {
    this.last = null
    return []
  }
}
