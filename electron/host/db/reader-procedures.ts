import { searchProcedure } from '../domains/clients/search-procedure'
import { feedProcedure } from './change-feed'
import type { ReaderProcedure } from './procedures'

/**
 * The procedures a worker connection runs whole in its thread (see ReaderProcedure), by name: they
 * only read (a reader's connection is `query_only`). Here, and not in the domains, because the
 * worker's script loads this list: a domain's procedure joins it in one line. Those that write are
 * a list apart (db/writer-procedures.ts), and so are those over the domains' Kysely code
 * (db/thread-reader-procedures.ts): the worker loads those two only when one is called.
 */
export const READER_PROCEDURES: ReadonlyMap<string, ReaderProcedure<never, unknown>> = new Map<string, ReaderProcedure<never, unknown>>(
  [searchProcedure, feedProcedure].map((p) => [p.name, p as ReaderProcedure<never, unknown>]),
)
