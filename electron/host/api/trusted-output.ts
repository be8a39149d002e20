import type { MethodName } from '@shared/contract'

/**
 * Hot read methods whose answers the dispatcher hands on without parsing them against their
 * output schema. Their handlers build every answer from the host's own rows, typed by the
 * contract at compile time; parsing it again cost more on the event loop than anything else
 * the dispatcher does for them (a board of 200 units: about 0.2 ms, 1 ms under load). Inputs are
 * still parsed, always. tests/integration/trusted-output.test.ts checks that, for each of them,
 * the schema's parse of a real answer is the answer itself (nothing stripped, defaulted or
 * refused): skipping it changes no answer. A method joins this list only with such a test.
 */
export const TRUSTED_OUTPUTS: ReadonlySet<MethodName> = new Set<MethodName>([
  'system.ping',
  'clients.search',
  'clients.get',
  'clients.list',
  'tasks.today',
  'board.get',
])
