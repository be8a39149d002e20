import { describe, expect, it } from 'vitest'
import { inputShapeFailure, MAX_INPUT_DEPTH } from '../../electron/host/api/input-guard'

function nested(depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

describe('input shape guard', () => {
  it('lets ordinary inputs through', () => {
    expect(inputShapeFailure({ kind: 'bulkPrice', payload: { items: [{ unitId: 1, listPrice: 2 }] } })).toBeNull()
    expect(inputShapeFailure(null)).toBeNull()
    expect(inputShapeFailure(42)).toBeNull()
    expect(inputShapeFailure(nested(MAX_INPUT_DEPTH))).toBeNull()
  })

  it('refuses nesting deeper than the limit, naming the place, without overflowing itself', () => {
    expect(inputShapeFailure(nested(MAX_INPUT_DEPTH + 1))?.toShape()).toMatchObject({ code: 'VALIDATION', reason: 'too_deep', params: { maximum: MAX_INPUT_DEPTH } })
    const failure = inputShapeFailure({ value: nested(200_000) })?.toShape()
    expect(failure).toMatchObject({ code: 'VALIDATION', reason: 'too_deep' })
    expect(failure?.field?.split('.')).toHaveLength(MAX_INPUT_DEPTH)
  })

  it('refuses the keys that trip object walkers, as JSON delivers them', () => {
    for (const text of ['{"payload":{"constructor":null}}', '{"__proto__":{"admin":true}}', '{"a":[{"prototype":1}]}']) {
      expect(inputShapeFailure(JSON.parse(text))?.toShape(), text).toMatchObject({ code: 'VALIDATION', reason: 'forbidden_key' })
    }
    expect(inputShapeFailure(JSON.parse('{"payload":{"constructor":null}}'))?.field).toBe('payload.constructor')
  })
})
