/** Why a read produced no UID. */
export type RejectReason =
  /** keyboard reader: no Enter within the key timeout */
  | 'timeout'
  /** keyboard reader: a key no card reader types */
  | 'unexpected-key'
  /** keyboard reader: more characters than any UID has */
  | 'too-long'
  /** a report of the wrong size, or too short to hold the length byte */
  | 'malformed-report'
  /** vendor reader: length byte above the profile's maximum */
  | 'bad-length'
  /** vendor reader: the UID (and check byte) run past the end of the report */
  | 'truncated'
  /** vendor reader: check byte does not match */
  | 'checksum'
  /** the reader went away in the middle of a read */
  | 'disconnected'
  /** the characters or bytes are not a UID in the profile's format */
  | 'bad-format'
  | 'out-of-range'

/** What a reader delivered for one card: typed text or UID bytes, before normalisation. */
export type RawRead = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array }

export type ParserEvent =
  | { type: 'read'; read: RawRead; at: number; reports: Uint8Array[] }
  | { type: 'rejected'; reason: RejectReason; detail: string; at: number; reports: Uint8Array[] }

/**
 * A pure state machine that turns input reports into reads. It never looks at a clock:
 * the caller passes each report's arrival time and calls `tick` at `deadline()`.
 */
export interface ReportParser {
  feed(report: Uint8Array, at: number): ParserEvent[]
  /** expires a partial read whose time is up */
  tick(now: number): ParserEvent[]
  /** when `tick` has something to expire, or null */
  deadline(): number | null
  /** forgets any partial read (the device went away), reporting it if there was one */
  abort(at: number): ParserEvent[]
}
