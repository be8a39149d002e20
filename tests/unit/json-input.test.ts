import { describe, expect, it } from 'vitest'
import { exceedsDepth, parseJsonInput } from '../../electron/host/lan/json-input'

describe('JSON input depth', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(exceedsDepth(5, 0)).toBe(false)
    expect(exceedsDepth({}, 0)).toBe(true)
    expect(exceedsDepth({ a: [1, { b: 2 }] }, 3)).toBe(false)
    expect(exceedsDepth({ a: [1, { b: 2 }] }, 2)).toBe(true)
    expect(exceedsDepth({ a: [], b: { c: { d: {} } } }, 3)).toBe(true)
  })

  it('refuses deep nesting by name, and parses what is within the bound', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n)
    expect(parseJsonInput(nest(32), 32)).toEqual({ ok: true, value: expect.any(Array) })
    expect(parseJsonInput(nest(33), 32)).toEqual({ ok: false, reason: 'too_deep' })
    expect(parseJsonInput('{"a":', 32)).toEqual({ ok: false, reason: 'invalid_json' })
  })

  it('checks half a million levels without overflowing the stack', () => {
    const deep = '{"a":'.repeat(500_000) + '1' + '}'.repeat(500_000)
    expect(parseJsonInput(deep, 32)).toEqual({ ok: false, reason: 'too_deep' })
    const wide = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ i, tags: [i] })))
    expect(parseJsonInput(wide, 32).ok).toBe(true)
  })
})
