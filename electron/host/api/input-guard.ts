import { ApiFailure } from './api-failure'

/**
 * How deep an API input may nest. Our deepest schema (a bulk price change: payload.items[i].field)
 * is 4 levels; 32 leaves room for preferences (saved grid state) and stops the thousands-deep
 * payloads that overflow recursive code (validation, redaction, JSON.stringify) further on.
 */
export const MAX_INPUT_DEPTH = 32

/**
 * Keys no input of ours has, and that trip code walking objects: zod's plain-object check reads
 * `value.constructor.prototype` (an own `"constructor": null` from JSON throws), and `__proto__`
 * is the prototype-pollution key.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Checks the shape of an input before any schema sees it: nesting depth and forbidden keys.
 * Iterative, so a deep value cannot overflow this check itself. Returns the VALIDATION failure
 * naming the place, or null when the input is fine.
 */
export function inputShapeFailure(input: unknown, maxDepth = MAX_INPUT_DEPTH): ApiFailure | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: input, depth: 0, path: '' }]
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (depth >= maxDepth) {
      return new ApiFailure('VALIDATION', `${path || 'input'}: nested deeper than ${maxDepth} levels`, path || undefined, 'too_deep', {
        maximum: maxDepth,
      })
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
    for (const [key, child] of entries) {
      const at = path ? `${path}.${key}` : key
      if (FORBIDDEN_KEYS.has(key)) return new ApiFailure('VALIDATION', `${at}: this key is not allowed`, at, 'forbidden_key')
      stack.push({ value: child, depth: depth + 1, path: at })
    }
  }
  return null
}
