import type { ApiErrorShape, ErrorCode } from '@shared/contract/common'

/** A typed API error thrown by handlers; the dispatcher turns it into `{ code, message, field }`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly reason?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message)
    this.name = 'ApiFailure'
  }

  toShape(): ApiErrorShape {
    const shape: ApiErrorShape = { code: this.code, message: this.message }
    if (this.field !== undefined) shape.field = this.field
    if (this.reason !== undefined) shape.reason = this.reason
    if (this.params !== undefined) shape.params = this.params
    return shape
  }
}
