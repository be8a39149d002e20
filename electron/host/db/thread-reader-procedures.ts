import { todayProcedure } from '../domains/tasks/today-procedure'
import type { ThreadReaderProcedure } from './procedures'

/**
 * The reads over the domains' Kysely code a worker runs whole in its thread (see
 * ThreadReaderProcedure), by name. Apart from READER_PROCEDURES because the domain code they bring
 * (Kysely, the phone and pinyin libraries) costs a worker a few hundred ms of CPU to load: the
 * worker loads this list when one is first called, or when the host warms it (sqlite-worker).
 */
export const THREAD_READER_PROCEDURES: ReadonlyMap<string, ThreadReaderProcedure<never, unknown>> = new Map<string, ThreadReaderProcedure<never, unknown>>(
  [todayProcedure].map((p) => [p.name, p as ThreadReaderProcedure<never, unknown>]),
)
