import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { sql } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { unlockConnection } from '../../electron/host/db/connection-setup'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import { sqliteFault } from '../../electron/host/db/sqlite-fault'
import { walFrames } from '../../electron/host/db/wal-index'
import { SqliteWorkerPool } from '../../electron/host/db/worker-pool'
import { tempDir } from '../helpers/temp-host'

const KEY = 'c3'.repeat(32)
const opened: Array<{ dir: string; main: OpenedDatabase; pool: SqliteWorkerPool }> = []

/** A migrated encrypted database, its start-up handle, and a pool of workers over it. */
async function setup(opts: { readers?: number; maxWaiting?: number; checkpointEveryMs?: number; restartWalFrames?: number; log?: (m: string) => void } = {}) {
  const dir = tempDir('keyuan-pool-')
  const file = path.join(dir, 'keyuan.db')
  const main = openDatabase(file, KEY)
  const pool = await SqliteWorkerPool.open({ file, keyHex: KEY, ...opts })
  const s = { dir, file, main, pool }
  opened.push(s)
  return s
}

afterEach(async () => {
  for (const { dir, main, pool } of opened.splice(0)) {
    await pool.close()
    await main.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

const staffRow = (username: string) => ({
  username,
  name: `名${username}`,
  role: 'agent',
  active: 1,
  password_hash: 'x',
  created_at: 'now',
  updated_at: 'now',
})

describe('SQLite connections in worker threads', () => {
  it('writes on the writer, reads on a reader, with affected rows, ids and bigints intact', async () => {
    const { pool, main } = await setup()
    const r = await pool.writer.insertInto('staff').values(staffRow('w1')).executeTakeFirstOrThrow()
    expect(typeof r.insertId).toBe('bigint')
    expect(r.numInsertedOrUpdatedRows).toBe(1n)
    const back = await pool.reader.selectFrom('staff').select(['id', 'username']).where('username', '=', 'w1').executeTakeFirstOrThrow()
    expect(back).toEqual({ id: Number(r.insertId), username: 'w1' })
    // RETURNING reads rows back from a write
    const returned = await pool.writer.updateTable('staff').set({ name: '改' }).where('username', '=', 'w1').returning(['name']).execute()
    expect(returned).toEqual([{ name: '改' }])
    // a bigint parameter and a bigint beyond 2^53 cross both ways
    const big = await sql<{ v: number }>`SELECT ${9007199254740993n} - 9007199254740990 AS v`.execute(pool.reader)
    expect(big.rows).toEqual([{ v: 3 }])
    expect(main.sqlite.prepare(`SELECT name FROM staff WHERE username = 'w1'`).pluck().get()).toBe('改')
  })

  it('carries BLOBs both ways as Buffers', async () => {
    const { pool } = await setup()
    const bytes = Buffer.from([0, 1, 2, 250, 255])
    const r = await sql<{ b: Buffer; n: number }>`SELECT ${bytes} AS b, length(${bytes}) AS n`.execute(pool.reader)
    expect(Buffer.isBuffer(r.rows[0]!.b)).toBe(true)
    expect(r.rows[0]).toEqual({ b: bytes, n: 5 })
  })

  it('readers cannot write: SQLITE_READONLY crosses back with its code, and the reader goes on', async () => {
    const { pool } = await setup()
    const err = await pool.reader.insertInto('staff').values(staffRow('r1')).execute().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as { code?: string }).code).toBe('SQLITE_READONLY')
    expect(sqliteFault(err)).toBe('read_only')
    expect(await pool.reader.selectFrom('staff').select('id').execute()).toEqual([])
  })

  it('a constraint error keeps its extended code; the writer goes on', async () => {
    const { pool } = await setup()
    await pool.writer.insertInto('staff').values(staffRow('dup')).execute()
    const err = await pool.writer.insertInto('staff').values(staffRow('dup')).execute().catch((e: unknown) => e)
    expect((err as { code?: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE')
    expect((err as Error).message).toMatch(/UNIQUE constraint failed: staff\.username/)
    await pool.writer.insertInto('staff').values(staffRow('after')).execute()
  })

  it('transactions commit and roll back; savepoints too', async () => {
    const { pool } = await setup()
    await pool.writer.transaction().execute(async (trx) => {
      await trx.insertInto('staff').values(staffRow('t1')).execute()
    })
    await expect(
      pool.writer.transaction().execute(async (trx) => {
        await trx.insertInto('staff').values(staffRow('t2')).execute()
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    const trx = await pool.writer.startTransaction().execute()
    const sp = await trx.savepoint('inner').execute()
    await sp.insertInto('staff').values(staffRow('t3')).execute()
    await sp.rollbackToSavepoint('inner').execute()
    await trx.insertInto('staff').values(staffRow('t4')).execute()
    await trx.commit().execute()
    const names = await pool.reader.selectFrom('staff').select('username').orderBy('username').execute()
    expect(names.map((n) => n.username)).toEqual(['t1', 't4'])
  })

  it("a transaction's BEGIN travels in its first statement's message: a one-query read posts two messages (query, COMMIT)", async () => {
    const { pool } = await setup({ readers: 1 })
    await pool.writer.insertInto('staff').values(staffRow('m1')).execute()
    const worker = pool.connections('reader')[0]!.worker
    const posted: unknown[] = []
    const post = worker.postMessage.bind(worker)
    worker.postMessage = (m: unknown) => {
      posted.push(m)
      post(m)
    }
    const rows = await pool.reader.transaction().execute((trx) => trx.selectFrom('staff').select('username').execute())
    expect(rows).toEqual([{ username: 'm1' }])
    expect(posted).toEqual([
      expect.objectContaining({ kind: 'query', begin: 'begin', sql: expect.stringMatching(/^select/) }),
      expect.objectContaining({ kind: 'query', sql: 'commit', quiet: true, begin: undefined }),
    ])
    // the snapshot began with the query: a second read of the same transaction sees the same rows
    const twice = await pool.reader.transaction().execute(async (trx) => {
      const a = await trx.selectFrom('staff').select('username').execute()
      await pool.writer.insertInto('staff').values(staffRow('m2')).execute()
      const b = await trx.selectFrom('staff').select('username').execute()
      return [a.length, b.length]
    })
    expect(twice).toEqual([1, 1])
  })

  it('a BEGIN that cannot take the write lock fails the transaction with SQLITE_BUSY, and the writer goes on', async () => {
    const { pool, file } = await setup()
    await sql`PRAGMA busy_timeout = 20`.execute(pool.writer)
    const side = new Database(file)
    unlockConnection(side, KEY)
    side.exec('BEGIN IMMEDIATE')
    try {
      // BEGIN travels with the first statement: its failure is what that statement answers
      const err = await pool.writer
        .transaction()
        .execute((trx) => trx.insertInto('staff').values(staffRow('busy')).execute())
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'SQLITE_BUSY' })
      expect(sqliteFault(err)).toBe('busy')
      // a transaction that ran no statement fails the same way at its COMMIT
      await expect(pool.writer.transaction().execute(async () => 1)).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
    } finally {
      side.exec('ROLLBACK')
      side.close()
    }
    await pool.writer.transaction().execute((trx) => trx.insertInto('staff').values(staffRow('after')).execute())
    expect((await pool.reader.selectFrom('staff').select('username').execute()).map((r) => r.username)).toEqual(['after'])
  })

  it('a read transaction keeps one snapshot while the writer commits beside it', async () => {
    const { pool } = await setup()
    let release!: () => void
    const hold = new Promise<void>((r) => (release = r))
    let firstRead!: () => void
    const readOnce = new Promise<void>((r) => (firstRead = r))
    const inside: number[] = []
    const reading = pool.reader.transaction().execute(async (trx) => {
      const count = async () => (await trx.selectFrom('staff').select('id').execute()).length
      inside.push(await count())
      firstRead()
      await hold
      inside.push(await count())
    })
    await readOnce
    // the write commits while the read transaction is open: no waiting on either side
    await pool.writer.insertInto('staff').values(staffRow('beside')).execute()
    release()
    await reading
    expect(inside).toEqual([0, 0])
    // a read that begins after the commit sees it
    expect((await pool.reader.selectFrom('staff').select('id').execute()).length).toBe(1)
  })

  it('a read is answered while a transaction holds the writer', async () => {
    const { pool } = await setup()
    let release!: () => void
    const hold = new Promise<void>((r) => (release = r))
    const order: string[] = []
    const writing = pool.writer.transaction().execute(async (trx) => {
      await trx.insertInto('staff').values(staffRow('held')).execute()
      await hold
      order.push('write committed')
    })
    // a second write waits for the writer; the read does not
    const second = pool.writer.insertInto('staff').values(staffRow('second')).execute().then(() => order.push('second write'))
    const read = await pool.reader.selectFrom('staff').select('id').execute()
    order.push('read answered')
    expect(read).toEqual([])
    release()
    await Promise.all([writing, second])
    expect(order).toEqual(['read answered', 'write committed', 'second write'])
  })

  // A worker is ended only between statements: ending a thread inside a statement aborts the whole
  // process (better-sqlite3 cannot throw into a terminating isolate), which is also why the pool never does.
  it('a worker that dies: the transaction holding it fails with a typed error, never hangs; calls waiting are served by its replacement', async () => {
    const log: string[] = []
    const dir = tempDir('keyuan-pool-')
    const file = path.join(dir, 'keyuan.db')
    const main = openDatabase(file, KEY)
    const pool = await SqliteWorkerPool.open({ file, keyHex: KEY, readers: 1, log: (m) => log.push(m) })
    opened.push({ dir, main, pool })
    const [reader] = pool.connections('reader')
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let entered!: () => void
    const inside = new Promise<void>((r) => (entered = r))
    const holding = pool.reader.transaction().execute(async (trx) => {
      await trx.selectFrom('staff').select('id').execute()
      entered()
      await gate
      return trx.selectFrom('staff').select('id').execute()
    })
    await inside
    const waiting = pool.reader.selectFrom('staff').select('id').execute()
    await reader!.worker.terminate()
    release()
    const err = await holding.catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'DB_WORKER_EXITED' })
    expect(sqliteFault(err)).toBe('io')
    // the call that waited for a reader is served by the replacement
    expect(await waiting).toEqual([])
    expect(pool.connections('reader')).toHaveLength(1)
    expect(pool.connections('reader')[0]).not.toBe(reader)
    expect(log.some((m) => /reader connection's worker exited/.test(m))).toBe(true)
  })

  it('a writer that dies inside a transaction leaves nothing written and no lock behind', async () => {
    const { pool, main } = await setup()
    const [writer] = pool.connections('writer')
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let entered!: () => void
    const inside = new Promise<void>((r) => (entered = r))
    const tx = pool.writer.transaction().execute(async (trx) => {
      await trx.insertInto('staff').values(staffRow('lost')).execute()
      entered()
      await gate
      await trx.insertInto('staff').values(staffRow('lost-too')).execute()
    })
    await inside
    await writer!.worker.terminate()
    release()
    await expect(tx).rejects.toMatchObject({ code: 'DB_WORKER_EXITED' })
    await pool.writer.insertInto('staff').values(staffRow('next')).execute()
    expect(main.sqlite.prepare('SELECT username FROM staff').pluck().all()).toEqual(['next'])
  })

  it('too many calls waiting for a connection: the next is refused as busy at once, the waiting ones are served', async () => {
    const { pool } = await setup({ maxWaiting: 2 })
    let release!: () => void
    const hold = new Promise<void>((r) => (release = r))
    const holding = pool.writer.transaction().execute(() => hold)
    const waiting = [1, 2].map((i) => pool.writer.insertInto('staff').values(staffRow(`q${i}`)).execute())
    const refused = await pool.writer.insertInto('staff').values(staffRow('q3')).execute().catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'DB_POOL_FULL' })
    expect(sqliteFault(refused)).toBe('busy')
    release()
    await holding
    await Promise.all(waiting)
    expect((await pool.reader.selectFrom('staff').select('username').execute()).map((r) => r.username).sort()).toEqual(['q1', 'q2'])
  })

  it("a person's write queued behind a long job's slices gets the writer before them; among themselves each side keeps its order", async () => {
    const { pool } = await setup()
    let release!: () => void
    const hold = new Promise<void>((r) => (release = r))
    const order: string[] = []
    const holding = pool.jobWriter.transaction().execute(() => hold)
    // three slices ask first, then two people's writes
    const slices = [1, 2, 3].map((i) =>
      pool.jobWriter
        .insertInto('staff')
        .values(staffRow(`slice${i}`))
        .execute()
        .then(() => order.push(`slice ${i}`)),
    )
    const calls = [1, 2].map((i) =>
      pool.writer
        .insertInto('staff')
        .values(staffRow(`call${i}`))
        .execute()
        .then(() => order.push(`call ${i}`)),
    )
    release()
    await Promise.all([holding, ...slices, ...calls])
    expect(order).toEqual(['call 1', 'call 2', 'slice 1', 'slice 2', 'slice 3'])
    // a slice alone is served at once
    await pool.jobWriter.insertInto('staff').values(staffRow('alone')).execute()
    expect(await pool.reader.selectFrom('staff').select('id').execute()).toHaveLength(6)
  })

  it('the waiting bound counts the slices and the calls together', async () => {
    const { pool } = await setup({ maxWaiting: 2 })
    let release!: () => void
    const hold = new Promise<void>((r) => (release = r))
    const holding = pool.writer.transaction().execute(() => hold)
    const waiting = [pool.jobWriter.insertInto('staff').values(staffRow('j1')).execute(), pool.writer.insertInto('staff').values(staffRow('c1')).execute()]
    const refused = await pool.jobWriter.insertInto('staff').values(staffRow('j2')).execute().catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'DB_POOL_FULL' })
    release()
    await Promise.all([holding, ...waiting])
    expect((await pool.reader.selectFrom('staff').select('username').execute()).map((r) => r.username).sort()).toEqual(['c1', 'j1'])
  })

  it('the writer never checkpoints inside a commit: the checkpointer copies the WAL into the file beside it, and is replaced if it dies', async () => {
    const log: string[] = []
    const { pool, file } = await setup({ checkpointEveryMs: 20, log: (m) => log.push(m) })
    expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(pool.writer)).rows).toEqual([{ wal_autocheckpoint: 0 }])
    await sql`create table bulk (b blob)`.execute(pool.writer)
    // 8 MB: eight times the 1,000 pages at which a writer would have checkpointed itself
    const fill = sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into bulk select randomblob(4000) from n`
    const before = fs.statSync(file).size
    await fill.execute(pool.writer)
    // WAL mode writes the database file only when a checkpoint copies pages into it
    await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(before + 8_000_000), { timeout: 20_000, interval: 20 })
    const [first] = pool.connections('checkpointer')
    await first!.worker.terminate()
    await vi.waitFor(() => expect(pool.connections('checkpointer')[0]).toBeDefined(), { timeout: 20_000, interval: 20 })
    expect(pool.connections('checkpointer')[0]).not.toBe(first)
    expect(log.some((m) => /checkpointer's worker exited/.test(m))).toBe(true)
    const grown = fs.statSync(file).size
    await fill.execute(pool.writer)
    await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(grown + 8_000_000), { timeout: 20_000, interval: 20 })
    expect(await pool.reader.selectFrom('staff').select('id').execute()).toEqual([])
  })

  it('a WAL grown past its bound is copied by the writer after a commit and starts again at the next write, though the checkpointer has not run', async () => {
    const { pool, file } = await setup({ checkpointEveryMs: 3_600_000, restartWalFrames: 100 })
    await sql`create table bulk (b blob)`.execute(pool.writer)
    const before = fs.statSync(file).size
    // about 500 pages in one transaction: five times the bound
    await pool.writer.transaction().execute((trx) => sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 500) insert into bulk select randomblob(4000) from n`.execute(trx))
    // the commit's answer comes first; the copy into the file follows it
    await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(before + 2_000_000), { timeout: 10_000, interval: 20 })
    expect(walFrames(file, 4096)).toBeGreaterThanOrEqual(500)
    await pool.writer.transaction().execute((trx) => trx.insertInto('staff').values(staffRow('after')).execute())
    // the next write started the WAL again from its beginning: a few frames, not 500 more
    expect(walFrames(file, 4096)).toBeLessThan(100)
    expect((await pool.reader.selectFrom('staff').select('username').execute()).map((r) => r.username)).toEqual(['after'])
    expect((await sql<{ n: number }>`select count(*) as n from bulk`.execute(pool.reader)).rows).toEqual([{ n: 500 }])
  })

  it('closing checkpoints the WAL into the file', async () => {
    const { pool, main, file } = await setup()
    await pool.writer.insertInto('staff').values(staffRow('kept')).execute()
    await pool.close()
    await main.close()
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0)
    const again = openDatabase(file, KEY)
    expect(again.sqlite.prepare('SELECT username FROM staff').pluck().all()).toEqual(['kept'])
    await again.close()
  })

  it('a worker that cannot open the database (a wrong key) fails the pool\'s start with SQLite\'s code, the key in no message', async () => {
    const { file, pool } = await setup()
    const wrong = 'ab'.repeat(32)
    const err = (await SqliteWorkerPool.open({ file, keyHex: wrong, readers: 1 }).catch((e: unknown) => e)) as Error & { code?: string }
    expect(err).toBeInstanceOf(Error)
    expect(sqliteFault(err)).toBe('not_a_db')
    expect(`${err.name} ${err.message} ${err.stack ?? ''}`.toLowerCase()).not.toContain(wrong)
    // the right pool beside it goes on
    expect(await pool.reader.selectFrom('staff').select('id').execute()).toEqual([])
  })
})
