import { followUpWriteProcedure } from '../domains/followups/follow-up-procedure'
import { clientRulesProcedure } from '../domains/followups/rules/evaluate'
import { clientImportPartProcedure } from '../domains/imports/client-import-part'
import { feedTriggersProcedure } from './change-feed'
import type { WriterProcedure } from './procedures'

/**
 * The procedures that write (see WriterProcedure), by name: only the writer's worker runs them,
 * inside the caller's transaction. A list apart from READER_PROCEDURES (db/reader-procedures.ts),
 * whose procedures a reader runs `query_only`; no name is in both.
 */
export const WRITER_PROCEDURES: ReadonlyMap<string, WriterProcedure<never, unknown>> = new Map<string, WriterProcedure<never, unknown>>(
  [feedTriggersProcedure, clientRulesProcedure, followUpWriteProcedure, clientImportPartProcedure].map((p) => [p.name, p as WriterProcedure<never, unknown>]),
)
