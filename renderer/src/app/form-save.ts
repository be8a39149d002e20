import type { ApiErrorShape, Result } from '@shared/contract/common'
import type { ConnectionState } from '@shared/contract/ws-transport'

/** A form field's name path as antd gives it (`['phones', 0, 'number']`). */
export type FieldPath = Array<string | number>

/** What is shown above a form after a save that did not go through. */
export type SaveProblem =
  /** the host could not be reached: the dialog keeps its input and can be saved again once connected */
  | { kind: 'offline' }
  /**
   * the call went unanswered (the transport's 30 s timeout) while the connection stayed up: no
   * reconnect will come to clear a "connection lost" line, so it says so and the input is kept for
   * a retry, which the transport sends with the same idempotency key
   */
  | { kind: 'unanswered' }
  | { kind: 'error'; error: ApiErrorShape }

/** What a form dialog does with a save's answer. */
export type SaveStep<Out> =
  | { kind: 'saved'; value: Out }
  /** the error names a field of this form: shown under it */
  | { kind: 'field'; path: FieldPath; error: ApiErrorShape }
  | { kind: 'problem'; problem: SaveProblem }

/**
 * The path of the form field an API error names (`phones.0.number` -> `['phones', 0, 'number']`),
 * or null when the error names no field or one this form does not have.
 */
export function errorFieldPath(e: ApiErrorShape, formFields: ReadonlyArray<ReadonlyArray<string | number>>): FieldPath | null {
  if (!e.field) return null
  if (!formFields.some((name) => name.join('.') === e.field)) return null
  return e.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

/**
 * Sorts a save's answer: saved; offline (nothing else applies: the input is kept for a retry),
 * or unanswered when the connection is up as the answer comes (`connection`: its state then);
 * an error under its field when `onFields` and the form has it; else a problem above the form.
 */
export function saveStep<Out>(
  r: Result<Out>,
  formFields: ReadonlyArray<ReadonlyArray<string | number>>,
  onFields: boolean,
  connection: ConnectionState['kind'],
): SaveStep<Out> {
  if (r.ok) return { kind: 'saved', value: r.value }
  if (r.error.code === 'OFFLINE') return { kind: 'problem', problem: { kind: connection === 'online' ? 'unanswered' : 'offline' } }
  const path = onFields ? errorFieldPath(r.error, formFields) : null
  return path ? { kind: 'field', path, error: r.error } : { kind: 'problem', problem: { kind: 'error', error: r.error } }
}

/**
 * The line above the form once the connection state changes: back online, a line about a save that
 * did not reach the host has done its job (the save button sends it again); any other stays.
 */
export function problemOnConnection(problem: SaveProblem | null, connection: ConnectionState['kind']): SaveProblem | null {
  if (connection !== 'online' || problem === null || problem.kind === 'error') return problem
  return null
}
