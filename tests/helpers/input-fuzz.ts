import { z } from 'zod'
import { Random } from '../../electron/host/demo/random'

/** A seeded generator (the demo's mulberry32): a failing fuzz run is replayed with the seed it printed. */
export function seededRandom(seed: number): () => number {
  const r = new Random(seed)
  return () => r.next()
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Schema = Record<string, unknown>

/** Strings people and attackers really send: invisible and bidi characters, escapes, injections, huge and odd forms. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '张\u200b三',
  '\u202eevil',
  'a\u0000b',
  '\u0007',
  '\ufeff',
  'line\u2028break',
  '\ud800',
  '😀'.repeat(50),
  '(+86)139-1234-5678',
  '（+86）１３９ １２３４ ５６７８',
  '0086 13912345678',
  '138****5678',
  "'; DROP TABLE clients; --",
  '%E0%A4%A',
  '__proto__',
  'constructor',
  '{"a":1}',
  '1e309',
  'NaN',
  '2026-02-30T25:61:00Z',
  '中'.repeat(5000),
  'x'.repeat(70_000),
]

const HOSTILE_NUMBERS: readonly number[] = [0, -1, 1, 2, 3, 7, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), 0.5, 1e308, -1e308]

/** The input JSON Schema of a zod schema (what a caller may send), or null when zod cannot say it. */
export function inputJsonSchema(schema: z.ZodType): Schema | null {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema
  } catch {
    return null
  }
}

/**
 * Makes JSON values for API inputs: mostly ones shaped by the method's schema (so the call reaches
 * the handler), some mutated in one place, some wholly random. Ids are small, so they name rows
 * the test's own data holds.
 */
export class InputFuzzer {
  constructor(private readonly rnd: () => number) {}

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1))
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!
  }

  private chance(p: number): boolean {
    return this.rnd() < p
  }

  /** Any JSON value, nested up to `depth`. */
  randomValue(depth = 3): Json {
    const kind = this.int(0, depth > 0 ? 7 : 4)
    switch (kind) {
      case 0:
        return null
      case 1:
        return this.chance(0.5)
      case 2:
        return this.pick(HOSTILE_NUMBERS)
      case 3:
        return this.pick(HOSTILE_STRINGS)
      case 4:
        return this.int(1, 30)
      case 5:
        return Array.from({ length: this.int(0, 4) }, () => this.randomValue(depth - 1))
      default: {
        const o: Record<string, Json> = {}
        for (let i = this.int(0, 4); i > 0; i--) o[this.pick(['id', 'clientId', 'q', 'name', '__proto__', 'constructor', 'x', 'limit', 'phones'])] = this.randomValue(depth - 1)
        return o
      }
    }
  }

  /** A value nested `depth` levels deep (arrays or objects). */
  deep(depth: number): Json {
    let v: Json = 1
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
    return v
  }

  /** A value that fits the schema, roughly (bounds and enums kept; formats imitated). */
  fromSchema(s: Schema, depth = 0): Json {
    if (depth > 8) return null
    const anyOf = (s.anyOf ?? s.oneOf) as Schema[] | undefined
    if (anyOf?.length) return this.fromSchema(this.pick(anyOf), depth + 1)
    const allOf = s.allOf as Schema[] | undefined
    if (allOf?.length) return this.fromSchema(allOf[0]!, depth + 1)
    if ('const' in s) return s.const as Json
    if (Array.isArray(s.enum)) return this.pick(s.enum as Json[])
    const type = Array.isArray(s.type) ? this.pick(s.type as string[]) : (s.type as string | undefined)
    switch (type) {
      case 'null':
        return null
      case 'boolean':
        return this.chance(0.5)
      case 'integer':
      case 'number': {
        const lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : -5
        const hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : 1000
        const small = this.int(Math.max(lo, Math.min(hi, 1)), Math.min(hi, Math.max(lo, 30)))
        return this.chance(0.8) ? small : this.chance(0.5) ? lo : Math.min(hi, Number.MAX_SAFE_INTEGER)
      }
      case 'string': {
        if (s.format === 'date-time') return new Date(Date.UTC(2026, this.int(0, 11), this.int(1, 28), this.int(0, 23))).toISOString()
        if (s.format === 'date' || /\\d\{4\}-/.test(String(s.pattern ?? ''))) return `2026-${String(this.int(1, 12)).padStart(2, '0')}-${String(this.int(1, 28)).padStart(2, '0')}`
        if (s.format === 'email') return `a${this.int(1, 99)}@example.com`
        const min = typeof s.minLength === 'number' ? s.minLength : 0
        const max = typeof s.maxLength === 'number' ? s.maxLength : 40
        const base = this.pick(['张三', '13912345678', 'abc', '1号楼', 'KY000001', 'note', '南北', '3室2厅', 'Ab1!xyz-pass'])
        let out = base
        while (out.length < min) out += base
        return out.slice(0, Math.max(min, Math.min(max, out.length)))
      }
      case 'array': {
        const items = (s.items ?? {}) as Schema
        const min = typeof s.minItems === 'number' ? s.minItems : 0
        const max = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, min + 3)
        return Array.from({ length: this.int(min, max) }, () => this.fromSchema(items, depth + 1))
      }
      case 'object':
      default: {
        const props = (s.properties ?? {}) as Record<string, Schema>
        const required = new Set((s.required as string[] | undefined) ?? [])
        const o: Record<string, Json> = {}
        for (const [k, v] of Object.entries(props)) {
          if (required.has(k) || this.chance(0.5)) o[k] = this.fromSchema(v, depth + 1)
        }
        return o
      }
    }
  }

  /** Replaces one place of a value with something hostile (wrong type, odd string, extra key, deep nesting). */
  mutate(v: Json): Json {
    if (v === null || typeof v !== 'object') return this.chance(0.5) ? this.randomValue(2) : this.pick(HOSTILE_STRINGS)
    if (Array.isArray(v)) {
      if (v.length === 0 || this.chance(0.2)) return [...v, this.randomValue(2)]
      const i = this.int(0, v.length - 1)
      return v.map((x, j) => (j === i ? this.mutate(x) : x))
    }
    const keys = Object.keys(v)
    if (keys.length === 0 || this.chance(0.15)) return { ...v, [this.pick(['extra', '__proto__', 'constructor', 'role', 'ownerId'])]: this.randomValue(1) }
    if (this.chance(0.05)) return { ...v, [this.pick(keys)]: this.deep(this.int(50, 5000)) }
    const k = this.pick(keys)
    return { ...v, [k]: this.chance(0.6) ? this.mutate(v[k]!) : this.randomValue(2) }
  }

  /** One input for a method: shaped by its schema (most), mutated, or random. */
  input(schema: Schema | null): Json {
    const roll = this.rnd()
    if (!schema || roll < 0.1) return this.randomValue(3)
    const shaped = this.fromSchema(schema)
    return roll < 0.55 ? shaped : this.mutate(shaped)
  }
}
