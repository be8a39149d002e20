import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import { tempDir } from '../helpers/temp-host'

const root = path.resolve(__dirname, '../..')
const dir = tempDir('keyuan-fk-indexes-')
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The tables the host deletes rows from, read from its code (Kysely's deleteFrom and plain DELETE FROM). */
function deletedTables(): Set<string> {
  const found = new Set<string>()
  const host = path.join(root, 'electron/host')
  for (const file of (fs.readdirSync(host, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(host, file), 'utf8')
    for (const m of text.matchAll(/deleteFrom\('([a-z_]+)|DELETE FROM ([a-z_]+)/g)) found.add((m[1] ?? m[2])!)
  }
  return found
}

describe('foreign keys', () => {
  it('of every table the host deletes from are indexed on the child side (else each deleted row scans the child table)', () => {
    const db = new Database(path.join(dir, 'fk.db'))
    db.pragma(`key="x'${'ab'.repeat(32)}'"`)
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS)
    const deleted = deletedTables()
    // the check reads the code: it must find the deletions it is about
    expect([...deleted]).toEqual(expect.arrayContaining(['jobs', 'vip_cards', 'subscription_events']))
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]
    const unindexed: string[] = []
    for (const t of tables) {
      const leading = new Set(
        (db.prepare('SELECT name FROM pragma_index_list(?)').pluck().all(t) as string[]).map((i) => (db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').pluck().get(i) as string | undefined) ?? ''),
      )
      const pk = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk = 1').pluck().get(t) as string | undefined
      if (pk) leading.add(pk)
      const fks = db.prepare('SELECT "table" AS parent, "from" AS col FROM pragma_foreign_key_list(?) WHERE seq = 0').all(t) as Array<{ parent: string; col: string }>
      for (const fk of fks) if (deleted.has(fk.parent) && !leading.has(fk.col)) unindexed.push(`${t}.${fk.col} → ${fk.parent}`)
    }
    db.close()
    expect(unindexed).toEqual([])
  })
})
