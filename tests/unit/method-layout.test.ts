import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { METHOD_NAMES, type MethodPrefix } from '@shared/contract'
import { ManualClock } from '../../electron/host/clock'
import { DOMAINS, handlersOf } from '../../electron/host/api/handlers'
import type { HandlerDeps } from '../../electron/host/api/handler'
import { PhoneLookupLimiter } from '../../electron/host/domains/clients/phone-lookups'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'

// A method `x.verb` is declared in shared/contract/x.ts (as xContract) and handled in
// electron/host/domains/x/ (xHandlers of x.service.ts): a newcomer finds it by its name.
const root = path.resolve(__dirname, '../..')
const prefixes = [...new Set(METHOD_NAMES.map((m) => m.split('.')[0]!))].sort() as MethodPrefix[]
const deps: HandlerDeps = { auth: { guard: new SignInGuard(new ManualClock(new Date('2026-01-01T00:00:00Z'))) }, phoneLookups: new PhoneLookupLimiter(), tls: () => null, backups: null, exports: null, health: null, devices: null, rekey: null, loop: null, board: null }

describe('method prefix = contract file = domain folder', () => {
  it.each(prefixes)('%s.* are declared in shared/contract/%s.ts, and nothing else is', async (p) => {
    const file = (await import(`../../shared/contract/${p}.ts`)) as Record<string, unknown>
    const table = file[`${p}Contract`] as Record<string, unknown> | undefined
    expect(table, `shared/contract/${p}.ts exports ${p}Contract`).toBeDefined()
    expect(Object.keys(table!).sort()).toEqual(METHOD_NAMES.filter((m) => m.startsWith(`${p}.`)).sort())
  })

  it.each(prefixes)('%s.* are handled by domains/%s/%s.service.ts, and nothing else is', async (p) => {
    const file = (await import(`../../electron/host/domains/${p}/${p}.service.ts`)) as Record<string, unknown>
    const exported = file[`${p}Handlers`]
    expect(exported, `domains/${p}/${p}.service.ts exports ${p}Handlers`).toBeDefined()
    // the host's table takes this very module, not one of another folder
    expect(DOMAINS[p]).toBe(exported)
    const keys = Object.keys(handlersOf(p, deps)).sort()
    for (const k of keys) expect(k.startsWith(`${p}.`), `${k} handled in domains/${p}/`).toBe(true)
    expect(keys).toEqual(METHOD_NAMES.filter((m) => m.startsWith(`${p}.`)).sort())
  })

  it('the host table has one entry per prefix and every domain folder is a prefix', () => {
    expect(Object.keys(DOMAINS).sort()).toEqual(prefixes)
    const folders = fs.readdirSync(path.join(root, 'electron/host/domains'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
    expect(folders.sort()).toEqual(prefixes)
  })

  it('no contract file declares a method of another prefix', () => {
    const files = fs.readdirSync(path.join(root, 'shared/contract')).filter((f) => f.endsWith('.ts'))
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, 'shared/contract', f), 'utf8')
      const declared = [...text.matchAll(/^\s{2}'([a-zA-Z]+)\.[a-zA-Z]+': \{$/gm)].map((m) => m[1])
      for (const p of declared) expect(`${p}.ts`, `a ${p}.* method declared in ${f}`).toBe(f)
    }
  })
})

describe('services keep the rules, repositories the SQL', () => {
  // a later issue runs the same repositories on PostgreSQL: a query in a service would be missed
  const QUERY = /\b(selectFrom|updateTable|insertInto|deleteFrom|replaceInto)\s*\(|\bsql\s*[`<]/
  it.each(prefixes)('domains/%s/%s.service.ts writes no query of its own', (p) => {
    const text = fs.readFileSync(path.join(root, `electron/host/domains/${p}/${p}.service.ts`), 'utf8')
    const line = text.split('\n').findIndex((l) => QUERY.test(l))
    expect(line, `a query at ${p}.service.ts:${line + 1}`).toBe(-1)
  })
})
