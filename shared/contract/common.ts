import { z } from 'zod'

/** One API method: its input and output schemas and whether it changes data (writes are audited). */
export interface MethodSpec {
  input: z.ZodType
  output: z.ZodType
  /** true when the method changes stored data; the dispatcher audits every write. */
  write: boolean
  /** one line for the generated API page. */
  summary: string
}

export type ContractTable = Record<string, MethodSpec>

/** Error codes every client can translate. Keep in sync with the i18n `errors.*` keys. */
export const ErrorCode = z.enum([
  'VALIDATION',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'BAD_CREDENTIALS',
  'RATE_LIMITED',
  /** too many calls unanswered on one connection: wait for the answers, then send more. */
  'BUSY',
  'ACCOUNT_DISABLED',
  'NOT_FOUND',
  'CONFLICT',
  'STALE_WRITE',
  'DUPLICATE',
  'LIMIT_REACHED',
  'UNKNOWN_METHOD',
  'DB_LOCKED',
  /** the database stayed locked by another writer past the wait (SQLITE_BUSY). */
  'DB_BUSY',
  /** the host's disk is full (SQLITE_FULL). */
  'DISK_FULL',
  /** the database or its folder cannot be written (SQLITE_READONLY). */
  'DB_READ_ONLY',
  /** the disk or the database file failed (SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN). */
  'DB_IO',
  /** the host could not be reached or did not answer (set by the client transport). */
  'OFFLINE',
  'INTERNAL',
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const ApiErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  field: z.string().optional(),
  /** stable key for translation of a VALIDATION error: zod's issue code (too_small, invalid_format…). */
  reason: z.string().optional(),
  /** values for the translated message, e.g. { minimum: 8 }. */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})
export type ApiErrorShape = z.infer<typeof ApiErrorSchema>

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }

/** ISO-8601 UTC timestamp as stored. */
export const IsoTime = z.string().datetime({ offset: true })

export const Id = z.number().int().positive()

export const SortDir = z.enum(['asc', 'desc'])

/** Server-side paging: every list in the product pages on the host. Inputs are strict: an unknown key is refused, not dropped. */
export const PageInput = z.strictObject({
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
})

/** A page of rows plus the total, for grids that scroll over the whole set. */
export function Page<T extends z.ZodType>(row: T) {
  return z.object({ rows: z.array(row), total: z.number().int().min(0) })
}

export const Empty = z.strictObject({})
export const Ok = z.object({ ok: z.literal(true) })
