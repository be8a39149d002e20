import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LoopReader, LOOP_SLOW_MS, SLOW_FOR_MS, SLOW_RUNS } from '../../electron/host/db/loop-reader'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { ReaderProcedure } from '../../electron/host/db/procedures'
import { SqliteWorkerPool } from '../../electron/host/db/worker-pool'
import { tempDir } from '../helpers/temp-host'

const KEY = 'd4'.repeat(32)
const opened: Array<{ dir: string; main: OpenedDatabase; pool: SqliteWorkerPool; loops: LoopReader[] }> = []

async function setup() {
  const dir = tempDir('keyuan-loop-')
  const file = path.join(dir, 'keyuan.db')
  const main = openDatabase(file, KEY)
  const pool = await SqliteWorkerPool.open({ file, keyHex: KEY, readers: 1 })
  const s = { dir, file, main, pool, loops: [] as LoopReader[] }
  opened.push(s)
  return s
}

afterEach(async () => {
  for (const { dir, main, pool, loops } of opened.splice(0)) {
    for (const l of loops) l.close()
    await pool.close()
    await main.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

const staffRow = (username: string) => ({ username, name: username, role: 'agent', active: 1, password_hash: 'x', created_at: 'now', updated_at: 'now' })

/** The staff's usernames, in one snapshot. */
const usernames: ReaderProcedure<null, string[]> = {
  name: 'test.usernames',
  run: (ctx) => ctx.snapshot(() => ctx.prepare('SELECT username FROM staff ORDER BY id').pluck().all([]) as string[]),
  fitsLoop: () => true,
}

/** Clocks a test moves: wall time and the process's CPU time, in ms. */
function clocks() {
  const t = { wall: 0, cpu: 0 }
  return { t, options: { now: () => t.wall, cpuNow: () => t.cpu } }
}

/** A procedure that "takes" the time `cost` gives for its argument (wall time, and CPU time: the same unless said), on the test's clocks. */
function taking(t: { wall: number; cpu: number }, cost: (tag: string) => { ms: number; cpuMs?: number }): ReaderProcedure<string, string> {
  return {
    name: 'test.taking',
    run: (_ctx, tag) => {
      const c = cost(tag)
      t.wall += c.ms
      t.cpu += c.cpuMs ?? c.ms
      return 'ran'
    },
    fitsLoop: () => true,
  }
}

describe("the event loop's read connection (LoopReader)", () => {
  it('answers on the event loop from a query-only connection, sees a write answered before it, and refuses a write', async () => {
    const { pool } = await setup()
    await pool.writer.insertInto('staff').values(staffRow('before')).execute()
    const first = pool.loop.run(usernames, null)
    expect(first).toEqual({ answer: expect.arrayContaining(['before']) })
    // the writer answered after its commit: the next read here sees it
    await pool.writer.insertInto('staff').values(staffRow('after')).execute()
    expect(pool.loop.run(usernames, null)?.answer).toContain('after')
    const writing: ReaderProcedure<null, void> = {
      name: 'test.write',
      run: (ctx) => ctx.snapshot(() => void ctx.prepare(`INSERT INTO staff (username, name, role, active, password_hash, created_at, updated_at) VALUES ('x', 'x', 'agent', 1, 'x', 'now', 'now')`).run([])),
      fitsLoop: () => true,
    }
    expect(() => pool.loop.run(writing, null)).toThrow(/readonly|read-only|query_only/i)
    // rolled back, nothing written, and it answers on
    expect(pool.loop.run(usernames, null)?.answer).not.toContain('x')
    expect(await pool.reader.selectFrom('staff').select('username').where('username', '=', 'x').execute()).toEqual([])
  })

  it('declines a procedure that does not say it fits, or whose arguments do not', async () => {
    const { pool } = await setup()
    const unmarked: ReaderProcedure<null, string[]> = { name: usernames.name, run: usernames.run }
    expect(pool.loop.run(unmarked, null)).toBeUndefined()
    const paged: ReaderProcedure<number, string[]> = { ...usernames, run: (ctx) => usernames.run(ctx, null), fitsLoop: (n) => n <= 50 }
    expect(pool.loop.run(paged, 50)).toBeDefined()
    expect(pool.loop.run(paged, 51)).toBeUndefined()
  })

  it('arguments measured slow a few times in a row go to the readers for a while, those arguments only; time the process was not running does not count', async () => {
    const { file, loops } = await setup()
    const { t, options } = clocks()
    const loop = new LoopReader(options)
    loops.push(loop)
    loop.open(file, KEY)
    const costs = new Map<string, { ms: number; cpuMs?: number }>()
    const proc = taking(t, (tag) => costs.get(tag) ?? { ms: 1 })
    // each run in a window of its own: the loop's share is not what this test is about
    const runs = (tag: string, n: number, cost: { ms: number; cpuMs?: number }) => {
      costs.set(tag, cost)
      return Array.from({ length: n }, () => {
        t.wall += 100
        return loop.run(proc, tag) !== undefined
      })
    }
    const slow = { ms: LOOP_SLOW_MS + 1 }
    const all = (n: number) => Array<boolean>(n).fill(true)
    // 30 ms of wall time of which 0.5 ms was this process's (another program had the cores): not slow
    expect(runs('preempted', SLOW_RUNS + 1, { ms: 30, cpuMs: 0.5 })).toEqual(all(SLOW_RUNS + 1))
    // slow, then in time: a slow run now and then sends nothing away
    for (let i = 0; i < 3; i++) {
      expect(runs('now and then', SLOW_RUNS - 1, slow)).toEqual(all(SLOW_RUNS - 1))
      expect(runs('now and then', 1, { ms: 1 })).toEqual([true])
    }
    // slow every time: after SLOW_RUNS runs the readers answer it; other arguments still run here
    expect(runs('slow', SLOW_RUNS + 2, slow)).toEqual([...all(SLOW_RUNS), false, false])
    expect(runs('other', 1, { ms: 1 })).toEqual([true])
    // after SLOW_FOR_MS one run measures it again, and, slow still, sends it back at once
    t.wall += SLOW_FOR_MS - 100
    expect(runs('slow', 2, slow)).toEqual([true, false])
    expect(loop.tally).toMatchObject({ slow: 3, share: 0 })
  })

  it("once the window's share of loop time is spent every call goes to the readers until the window ends", async () => {
    const { file, loops } = await setup()
    const { t, options } = clocks()
    const loop = new LoopReader(options)
    loops.push(loop)
    loop.open(file, KEY)
    const proc = taking(t, () => ({ ms: 1.5 }))
    const answered = Array.from({ length: 12 }, (_, i) => loop.run(proc, String(i)) !== undefined)
    // 1.5 ms each: the call that crosses 20 ms (the 14th) runs, the ones after it do not
    expect(answered.filter(Boolean)).toHaveLength(12)
    const more = Array.from({ length: 6 }, (_, i) => loop.run(proc, `more${i}`) !== undefined)
    expect(more).toEqual([true, true, false, false, false, false])
    t.wall += 100
    expect(loop.run(proc, 'next window')).toEqual({ answer: 'ran' })
  })

  it('a caller alone is answered on the loop whatever the share: sending its call away would spare nobody', async () => {
    const { file, loops } = await setup()
    const { t, options } = clocks()
    const loop = new LoopReader(options)
    loops.push(loop)
    loop.open(file, KEY)
    let others = false
    loop.othersInFlight = () => others
    const proc = taking(t, () => ({ ms: 1.5 }))
    const alone = Array.from({ length: 20 }, (_, i) => loop.run(proc, String(i)) !== undefined)
    expect(alone.every(Boolean)).toBe(true)
    // the same window, spent, once another call is in flight: to the readers
    others = true
    expect(loop.run(proc, 'with others')).toBeUndefined()
    expect(loop.tally.share).toBe(1)
  })

  it('reads the CPU clock (a system call) only while other calls are in flight; alone, a run is measured by the wall clock', async () => {
    const { file, loops } = await setup()
    const { t, options } = clocks()
    let cpuReads = 0
    const loop = new LoopReader({ now: options.now, cpuNow: () => (cpuReads++, t.cpu) })
    loops.push(loop)
    loop.open(file, KEY)
    let others = false
    loop.othersInFlight = () => others
    const proc = taking(t, (tag) => (tag === 'preempted' ? { ms: LOOP_SLOW_MS + 1, cpuMs: 0.5 } : { ms: 0.1 }))
    for (let i = 0; i < 5; i++) expect(loop.run(proc, 'quick')).toEqual({ answer: 'ran' })
    expect(cpuReads).toBe(0)
    // alone, a run another program slowed counts as slow: SLOW_RUNS of them send its arguments to the readers
    for (let i = 0; i < SLOW_RUNS; i++) {
      t.wall += 100
      expect(loop.run(proc, 'preempted')).toEqual({ answer: 'ran' })
    }
    expect(loop.run(proc, 'preempted')).toBeUndefined()
    expect(cpuReads).toBe(0)
    // with others in flight the CPU clock is read, and the time another program had does not count
    others = true
    t.wall += SLOW_FOR_MS
    for (let i = 0; i < SLOW_RUNS + 1; i++) {
      t.wall += 100
      expect(loop.run(proc, 'preempted')).toEqual({ answer: 'ran' })
    }
    expect(cpuReads).toBeGreaterThan(0)
  })

  it('closed while the pool swaps the database file (calls go to the readers, which wait), open again after it', async () => {
    const { pool } = await setup()
    await pool.writer.insertInto('staff').values(staffRow('kept')).execute()
    let duringSwap: unknown = 'not asked'
    let readerRead: Promise<unknown> | null = null
    await pool.reopen(async () => {
      duringSwap = pool.loop.run(usernames, null)
      readerRead = pool.reader.selectFrom('staff').select('username').execute()
    })
    expect(duringSwap).toBeUndefined()
    expect(await readerRead).toEqual([{ username: 'kept' }])
    expect(pool.loop.run(usernames, null)?.answer).toEqual(['kept'])
    await pool.close()
    expect(pool.loop.run(usernames, null)).toBeUndefined()
  })
})
