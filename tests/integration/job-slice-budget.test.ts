import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { AnyJobKind, JobKind } from '../../electron/host/jobs/job-kind'
import { JobRunner } from '../../electron/host/jobs/job-runner'
import { insertJob } from '../../electron/host/jobs/jobs.repository'
import { startTempHost } from '../helpers/temp-host'

let host: Awaited<ReturnType<typeof startTempHost>>
afterEach(() => host.cleanup())

/** Each item of the test's job keeps its slice busy at least this long: a slice of n items lasts n / 10 ms or more. */
const ITEM_MS = 0.1
/** The runner's short target (TARGET_SLICE_MS): with ITEM_MS a slice sized to it holds at most 100 items. */
const SHORT_ITEMS = 10 / ITEM_MS

/**
 * A job of `slices` slices whose items cost ITEM_MS each (busy, on the event loop, inside the slice's
 * transaction), noting the size it was given each time; `during(i)` runs inside slice i.
 */
const Params = z.strictObject({})
const Cursor = z.strictObject({ n: z.number().int() })
type SleepyKind = JobKind<z.infer<typeof Params>, z.infer<typeof Cursor>>

function sleepyKind(idleSliceMs: number | undefined, slices: number, sizes: number[], during: (i: number) => void = () => {}): SleepyKind {
  return {
    kind: 'test.sleepy',
    params: Params,
    cursor: Cursor,
    firstSize: 20,
    ...(idleSliceMs === undefined ? {} : { idleSliceMs }),
    async slice(db, job, size) {
      sizes.push(size)
      await db.selectFrom('jobs').select('id').where('id', '=', job.id).execute()
      const until = performance.now() + size * ITEM_MS
      while (performance.now() < until) {
        // busy: the slice's own work
      }
      during(job.cursor.n)
      const n = job.cursor.n + 1
      return { cursor: { n }, done: n, finished: n >= slices }
    },
  }
}

/** Works one job of `kind` to its end with a runner of its own (the host's is stopped: it knows no such kind). */
async function run(kind: SleepyKind, callsWaited: () => number): Promise<void> {
  await host.jobs.stop()
  const runner = new JobRunner({ db: host.pool.jobWriter, env: { clock: host.clock, events: host.events, auditLog: host.auditLog }, kinds: [kind as AnyJobKind], callsWaited })
  const id = await insertJob(host.pool.writer, kind, { total: null, createdBy: null, at: host.clock.now().toISOString(), params: {}, cursor: { n: 0 } })
  runner.start()
  await runner.finished(id)
  await runner.stop()
}

describe('a job kind with an idle slice budget (imports)', () => {
  it('takes longer slices while no call waits for the writer, and the short target again at once after a call waited', async () => {
    host = await startTempHost()
    // without the budget the short target holds every slice to SHORT_ITEMS (a slice of n items lasts n / 10 ms at least)
    const plain: number[] = []
    await run(sleepyKind(undefined, 30, plain), () => 0)
    expect(Math.max(...plain)).toBeLessThanOrEqual(SHORT_ITEMS)

    // with a 50 ms budget on an idle writer the slices grow past it; a call that waited during slice 35 turns the next back
    let waited = 0
    const sizes: number[] = []
    await run(
      sleepyKind(50, 40, sizes, (i) => {
        if (i === 35) waited++
      }),
      () => waited,
    )
    expect(Math.max(...sizes.slice(0, 36))).toBeGreaterThan(SHORT_ITEMS)
    expect(sizes[36]).toBeLessThanOrEqual(SHORT_ITEMS)
  })
})
