import { searchProcedure } from '../domains/clients/search-procedure'
import { feedProcedure } from './change-feed'
import { todayProcedure } from '../domains/tasks/today-procedure'
import type { ReaderProcedure, ThreadReaderProcedure } from './procedures'

/**
 * The procedures a worker connection runs whole in its thread (see ReaderProcedure), by name: they
 * only read (a reader's connection is `query_only`). Here, and not in the domains, because the
 * worker's script loads this list: a domain's procedure joins it in one line. Those that write are
 * a list apart (db/writer-procedures.ts).
 */
export const READER_PROCEDURES: ReadonlyMap<string, ReaderProcedure<never, unknown>> = new Map<string, ReaderProcedure<never, unknown>>(
  [searchProcedure, feedProcedure].map((p) => [p.name, p as ReaderProcedure<never, unknown>]),
)

/** The reads over the domains' Kysely code a worker runs whole in its thread (see ThreadReaderProcedure), by name. */
export const THREAD_READER_PROCEDURES: ReadonlyMap<string, ThreadReaderProcedure<never, unknown>> = new Map<string, ThreadReaderProcedure<never, unknown>>(
  [todayProcedure].map((p) => [p.name, p as ThreadReaderProcedure<never, unknown>]),
)
