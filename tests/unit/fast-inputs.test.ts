import { describe, expect, it } from 'vitest'
import { contract, type MethodName } from '@shared/contract'
import { FAST_INPUTS } from '../../electron/host/api/fast-inputs'

/** A seeded generator (the same inputs every run). */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

/** Queries near every edge of the schema: lengths, spaces, full width, control and zero-width characters, non-strings. */
const QUERIES: unknown[] = [
  '张伟', 'zw', 'KY012345', 'ky0', '138', '+86 138 1234 5678', '0086138', 'a', 'x'.repeat(40), 'x'.repeat(41), '', ' ', ' 张伟', '张伟 ',
  '张 伟', '张  伟', '张\t伟', 'ＫＹ01', '张伟\u200b', '\u202e伟', 'é', 'e\u0301', '😀', '\n', '张伟\u3000', 'O\'Brien', '<script>', 12, null, undefined, ['a'], { q: 'a' },
]
const NUMBERS: unknown[] = [undefined, 0, 1, 20, 49, 50, 51, 450, 451, -1, -0, 1.5, Number.NaN, Infinity, '20', null, true, 2 ** 53]
const KEYS = ['q', 'offset', 'limit', 'extra', '__proto__', 'constructor']

function inputOf(r: () => number): unknown {
  const n = r()
  if (n < 0.03) return pick(r, [null, undefined, 'q', 3, [], [{ q: 'a' }]])
  const o: Record<string, unknown> = n < 0.06 ? (Object.create(null) as Record<string, unknown>) : {}
  if (r() < 0.95) o.q = pick(r, QUERIES)
  if (r() < 0.5) o.offset = pick(r, NUMBERS)
  if (r() < 0.5) o.limit = pick(r, NUMBERS)
  if (r() < 0.05) Object.defineProperty(o, pick(r, KEYS), { value: 'x', enumerable: true, configurable: true, writable: true })
  return n > 0.97 ? (JSON.parse(JSON.stringify(o)) as unknown) : o
}

describe('fast input parses', () => {
  for (const [name, fast] of FAST_INPUTS) {
    it(`${name}: gives exactly what its schema gives, or declines; never accepts what the schema refuses`, () => {
      const schema = contract[name as MethodName].input
      const r = random(20261207)
      let accepted = 0
      let refused = 0
      for (let i = 0; i < 20_000; i++) {
        const raw = inputOf(r)
        const got = fast.parse(raw)
        const zod = schema.safeParse(raw ?? {})
        if (!zod.success) refused++
        if (got === undefined) continue
        accepted++
        expect(zod.success, JSON.stringify(raw)).toBe(true)
        // the same values in the same key order (and -0 stays -0)
        expect(Object.entries(got)).toEqual(Object.entries(zod.data as object))
      }
      // the common inputs take the fast parse; the refusals were many and all were zod's
      expect(accepted).toBeGreaterThan(2_000)
      expect(refused).toBeGreaterThan(2_000)
    })
  }

  it('clients.search: what a search box sends takes the fast parse', () => {
    const fast = FAST_INPUTS.get('clients.search')!
    expect(fast.parse({ q: '张伟' })).toEqual({ q: '张伟', offset: 0, limit: 20 })
    expect(fast.parse({ q: 'KY012345', offset: 40, limit: 50 })).toEqual({ q: 'KY012345', offset: 40, limit: 50 })
    expect(fast.parse({ q: '+86 138 1234 5678', limit: 20 })).toEqual({ q: '+86 138 1234 5678', offset: 0, limit: 20 })
  })
})
