/** Why a JSON input was refused; also the `reason` key of the VALIDATION error. */
export type JsonRefusal = 'invalid_json' | 'too_deep'

export type JsonInput = { ok: true; value: unknown } | { ok: false; reason: JsonRefusal }

/**
 * Parses outside JSON and refuses nesting deeper than `maxDepth`. V8's JSON.parse is iterative,
 * so any depth parses without overflowing; the check that follows is iterative too, and stops at
 * the first level too deep. After it, recursive code (zod, audit redaction) is safe.
 */
export function parseJsonInput(text: string, maxDepth: number): JsonInput {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'invalid_json' }
  }
  return exceedsDepth(value, maxDepth) ? { ok: false, reason: 'too_deep' } : { ok: true, value }
}

/** Whether a parsed value nests arrays and objects more than `maxDepth` levels (a scalar is depth 0). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!
    if (node === null || typeof node !== 'object') continue
    if (depth + 1 > maxDepth) return true
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node)
    for (const child of children) if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 })
  }
  return false
}
