import { describe, expect, it } from 'vitest'
import { parseJsonInput } from '../../electron/host/lan/json-input'

describe('JSON input from the network', () => {
  it('refuses deep nesting by name, and parses what is within the bound', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n)
    expect(parseJsonInput(nest(32), 32)).toEqual({ ok: true, value: expect.any(Array) })
    expect(parseJsonInput(nest(33), 32)).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'too_deep', params: { maximum: 32 } } })
    expect(parseJsonInput('{"a":[1,{"b":2}]}', 3).ok).toBe(true)
    expect(parseJsonInput('{"a":[1,{"b":2}]}', 2)).toMatchObject({ ok: false, error: { reason: 'too_deep' } })
    expect(parseJsonInput('{"a":', 32)).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'invalid_json' } })
  })

  it('refuses keys that trip object walkers', () => {
    expect(parseJsonInput('{"payload":{"constructor":null}}', 32)).toMatchObject({ ok: false, error: { reason: 'forbidden_key', field: 'payload.constructor' } })
  })

  it('checks half a million levels without overflowing the stack', () => {
    const deep = '{"a":'.repeat(500_000) + '1' + '}'.repeat(500_000)
    expect(parseJsonInput(deep, 32)).toMatchObject({ ok: false, error: { reason: 'too_deep' } })
    const wide = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ i, tags: [i] })))
    expect(parseJsonInput(wide, 32).ok).toBe(true)
  })
})
