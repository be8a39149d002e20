import type { ErrorCode } from '@shared/contract/common'

/** HTTP status for each API error code on `POST /api/<method>`. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  CONFLICT: 409,
  STALE_WRITE: 409,
  DUPLICATE: 409,
  LIMIT_REACHED: 409,
  RATE_LIMITED: 429,
  BUSY: 429,
  DB_LOCKED: 503,
  DB_BUSY: 503,
  DISK_FULL: 507,
  DB_READ_ONLY: 503,
  DB_IO: 500,
  OFFLINE: 503,
  INTERNAL: 500,
}
