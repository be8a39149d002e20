import { searchProcedure } from '../domains/clients/search-procedure'
import { feedProcedure, feedTriggersProcedure } from './change-feed'
import type { ReaderProcedure } from './procedures'

/**
 * The procedures a worker connection runs whole in its thread (see ReaderProcedure), by name.
 * Here, and not in the domains, because the worker's script loads this list: a domain's procedure
 * joins it in one line.
 */
export const READER_PROCEDURES: ReadonlyMap<string, ReaderProcedure<never, unknown>> = new Map<string, ReaderProcedure<never, unknown>>(
  [searchProcedure, feedProcedure, feedTriggersProcedure].map((p) => [p.name, p as ReaderProcedure<never, unknown>]),
)
