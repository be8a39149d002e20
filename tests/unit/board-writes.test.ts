import { Kysely, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import { BoardWrites, writesBoard } from '../../electron/host/db/board-writes'
import type { DB } from '../../electron/host/db/schema'

// the count BoardCache keeps boards by (issue #15): it may overcount, never miss a change a board shows
describe('writesBoard: which writer statements may change what a board shows', () => {
  // the statements as Kysely compiles them (no connection: compile only)
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: async () => ({}) as never }) })

  it('counts writes to the board tables, to a client name or owner, and DDL naming them', () => {
    for (const sql of [
      db.updateTable('units').set({ list_price: 1 }).where('id', '=', 1).compile().sql,
      db.insertInto('unit_transactions').values({ unit_id: 1 } as never).compile().sql,
      db.deleteFrom('payments').where('tx_id', '=', 1).compile().sql,
      db.updateTable('settings').set({ value: 'x' }).where('key', '=', 'k').compile().sql,
      db.updateTable('staff').set({ name: 'x' }).where('id', '=', 1).compile().sql,
      db.updateTable('projects').set({ name: 'x' }).where('id', '=', 1).compile().sql,
      db.insertInto('buildings').values({ name: 'x' } as never).compile().sql,
      db.updateTable('clients').set({ name: '新名' }).where('id', '=', 1).compile().sql,
      db.updateTable('clients').set({ owner_id: 2 }).where('id', '=', 1).compile().sql,
      db.insertInto('clients').values({ code: 'KY1' } as never).compile().sql,
      db.deleteFrom('clients').where('id', '=', 1).compile().sql,
      // the rules engine's and a departure's hand-written statements
      'UPDATE clients SET owner_id = NULL, pooled_at = ? WHERE id IN (SELECT value FROM json_each(?))',
      'UPDATE OR IGNORE units SET version = version + 1',
      'DROP TABLE units',
      'ALTER TABLE unit_transactions ADD COLUMN x',
    ]) {
      expect(writesBoard(sql), sql).toBe(true)
    }
  })

  it("does not count a client's dates (every follow-up), reads, or writes elsewhere", () => {
    for (const sql of [
      db.updateTable('clients').set({ last_follow_up_at: 'x', last_activity_at: 'x', updated_at: 'x' }).where('id', '=', 1).compile().sql,
      db.updateTable('clients').set({ stage: 'visited', intention: 'agreed' } as never).where('id', '=', 1).compile().sql,
      db.insertInto('follow_ups').values({ client_id: 1 } as never).compile().sql,
      db.insertInto('sessions').values({ token_hash: 'x' } as never).compile().sql,
      db.selectFrom('units').selectAll().compile().sql,
      'insert into "audit_log" ("action", "target") values (?, ?)',
      'INSERT INTO tasks (staff_id, client_id) SELECT m.id, c.id FROM clients c JOIN staff m ON m.role = ?',
    ]) {
      expect(writesBoard(sql), sql).toBe(false)
    }
  })

  it('counts once the transaction ends, rolled back or not', () => {
    const w = new BoardWrites()
    w.began()
    w.ran('update "units" set "list_price" = ?')
    expect(w.generation).toBe(0)
    w.ran('rollback')
    expect(w.generation).toBe(1)
    w.ran('update "clients" set "last_follow_up_at" = ?')
    expect(w.generation).toBe(1)
    w.replaced()
    expect(w.generation).toBe(2)
  })
})
