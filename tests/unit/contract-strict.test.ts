import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contract, METHOD_NAMES } from '@shared/contract'

interface Def {
  type: string
  catchall?: z.ZodType
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  in?: z.ZodType
  out?: z.ZodType
  element?: z.ZodType
  options?: z.ZodType[]
  valueType?: z.ZodType
  left?: z.ZodType
  right?: z.ZodType
  items?: z.ZodType[]
  getter?: () => z.ZodType
}

const def = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def

/** Every object schema reachable from an input schema, with its path, and whether it refuses unknown keys. */
function objects(schema: z.ZodType, path: string, seen = new Set<z.ZodType>()): Array<{ path: string; strict: boolean }> {
  if (seen.has(schema)) return []
  seen.add(schema)
  const d = def(schema)
  const inner = (s: z.ZodType | undefined, p = path) => (s ? objects(s, p, seen) : [])
  switch (d.type) {
    case 'object':
      return [
        { path, strict: d.catchall !== undefined && def(d.catchall).type === 'never' },
        ...Object.entries(d.shape ?? {}).flatMap(([k, v]) => inner(v, `${path}.${k}`)),
      ]
    case 'pipe':
      return [...inner(d.in), ...inner(d.out)]
    case 'array':
      return inner(d.element, `${path}[]`)
    case 'union':
      return (d.options ?? []).flatMap((o) => inner(o))
    case 'record':
      return inner(d.valueType, `${path}{}`)
    case 'intersection':
      return [...inner(d.left), ...inner(d.right)]
    case 'tuple':
      return (d.items ?? []).flatMap((o, i) => inner(o, `${path}[${i}]`))
    case 'lazy':
      return d.getter ? inner(d.getter()) : []
    default:
      return d.innerType ? inner(d.innerType) : []
  }
}

describe('contract inputs', () => {
  it('every object in every input refuses unknown keys', () => {
    const loose = METHOD_NAMES.flatMap((m) => objects(contract[m].input, m).filter((o) => !o.strict).map((o) => o.path))
    expect(loose).toEqual([])
  })

  it('the walk sees nested objects (a check that the check can fail)', () => {
    const found = objects(contract['clients.create'].input, 'clients.create').map((o) => o.path)
    expect(found).toEqual(expect.arrayContaining(['clients.create', 'clients.create.org', 'clients.create.phones[]', 'clients.create.children[]']))
    const loose = z.strictObject({ inner: z.array(z.object({ a: z.string() }).optional()) })
    expect(objects(loose, 'x')).toEqual([
      { path: 'x', strict: true },
      { path: 'x.inner[]', strict: false },
    ])
  })
})
