import type { ApiErrorShape } from '@shared/contract/common'
import { inputShapeFailure } from '../api/input-guard'

export type JsonInput = { ok: true; value: unknown } | { ok: false; error: ApiErrorShape }

/**
 * Parses outside JSON and checks its shape (nesting depth, forbidden keys) with the dispatcher's
 * own guard, before the session lookup. V8's JSON.parse is iterative, so any depth parses without
 * overflowing; the guard is iterative too. After it, recursive code (zod, audit redaction) is safe.
 */
export function parseJsonInput(text: string, maxDepth: number): JsonInput {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, error: { code: 'VALIDATION', message: 'body is not valid JSON', reason: 'invalid_json' } }
  }
  return checkedInput(value, maxDepth)
}

/** The input as given, or the VALIDATION error saying where it nests too deep or holds a forbidden key. */
export function checkedInput(value: unknown, maxDepth: number): JsonInput {
  const bad = inputShapeFailure(value, maxDepth)
  return bad ? { ok: false, error: bad.toShape() } : { ok: true, value }
}
