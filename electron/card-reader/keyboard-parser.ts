import { keyMeaning, shiftHeld } from './hid-keys'
import { toHex } from '@shared/domain/hex'
import type { ParserEvent, RejectReason, ReportParser } from './parser-types'

/** Longest text a read may collect: 20 hex digits is the longest UID, with room for separators. */
const MAX_TEXT = 32
const BOOT_REPORT_LENGTH = 8
const ERROR_ROLL_OVER = 0x01

export interface KeyboardParserOptions {
  /** report ID byte in front of each 8-byte boot report, when the device numbers its reports */
  reportId?: number
  /** a read with no Enter within this many ms of its last key is dropped */
  keyTimeoutMs: number
}

interface ActiveRead {
  text: string
  lastKeyAt: number
  problem: { reason: RejectReason; detail: string } | null
  reports: Uint8Array[]
}

/**
 * Parser for keyboard-type readers: 8-byte boot keyboard reports (modifiers, reserved,
 * six key slots). A key counts when it appears in a report it was not in before, so a key
 * held over several reports types once and a key-up (all zero) report clears it. A read
 * ends at Enter; keys no reader types or malformed reports spoil the read (it is refused at
 * Enter rather than turned into a wrong UID); a read left without Enter times out.
 */
export class KeyboardReportParser implements ReportParser {
  private held = new Set<number>()
  private active: ActiveRead | null = null

  constructor(private readonly options: KeyboardParserOptions) {}

  feed(report: Uint8Array, at: number): ParserEvent[] {
    const events = this.tick(at)
    const { reportId } = this.options
    if (reportId !== undefined && report[0] !== reportId) return events
    const body = reportId === undefined ? report : report.subarray(1)

    if (body.length !== BOOT_REPORT_LENGTH) {
      const detail = `keyboard report of ${body.length} bytes: ${toHex(report)}`
      if (!this.active) return [...events, { type: 'rejected', reason: 'malformed-report', detail, at, reports: [report] }]
      this.record(report)
      this.spoil('malformed-report', detail)
      return events
    }

    const codes = Array.from(body.subarray(2)).filter((c) => c !== 0)
    // ErrorRollOver in the key slots: the keyboard cannot tell which keys are down; skip it
    if (codes.includes(ERROR_ROLL_OVER)) return events
    const shift = shiftHeld(body[0] ?? 0)
    for (const code of codes) {
      if (this.held.has(code)) continue
      const meaning = keyMeaning(code, shift)
      if (meaning.kind === 'ignore') continue
      if (meaning.kind === 'enter') {
        if (this.active) {
          this.record(report)
          events.push(this.finish(at))
        }
        continue
      }
      const read = this.start(at)
      this.record(report)
      read.lastKeyAt = at
      if (meaning.kind === 'unknown') {
        this.spoil('unexpected-key', `usage 0x${code.toString(16).padStart(2, '0')} in ${toHex(report)}`)
      } else if (read.text.length >= MAX_TEXT) {
        this.spoil('too-long', `more than ${MAX_TEXT} characters`)
      } else {
        read.text += meaning.char
      }
    }
    if (this.active) this.record(report)
    this.held = new Set(codes)
    return events
  }

  tick(now: number): ParserEvent[] {
    const deadline = this.deadline()
    if (deadline === null || now < deadline || !this.active) return []
    const { text, reports } = this.active
    this.active = null
    return [{ type: 'rejected', reason: 'timeout', detail: `no Enter after "${text}"`, at: now, reports }]
  }

  deadline(): number | null {
    return this.active ? this.active.lastKeyAt + this.options.keyTimeoutMs : null
  }

  abort(at: number): ParserEvent[] {
    this.held.clear()
    const read = this.active
    this.active = null
    if (!read) return []
    return [{ type: 'rejected', reason: 'disconnected', detail: `reader gone after "${read.text}"`, at, reports: read.reports }]
  }

  private start(at: number): ActiveRead {
    if (!this.active) this.active = { text: '', lastKeyAt: at, problem: null, reports: [] }
    return this.active
  }

  private record(report: Uint8Array): void {
    const reports = this.active?.reports
    if (reports && reports[reports.length - 1] !== report) reports.push(report)
  }

  private spoil(reason: RejectReason, detail: string): void {
    if (this.active && !this.active.problem) this.active.problem = { reason, detail }
  }

  private finish(at: number): ParserEvent {
    const read = this.active as ActiveRead
    this.active = null
    if (read.problem) return { type: 'rejected', ...read.problem, at, reports: read.reports }
    return { type: 'read', read: { kind: 'text', text: read.text }, at, reports: read.reports }
  }
}
