import type { ApiErrorShape, Result } from '@shared/contract/common'

/** A form field's name path as antd gives it (`['phones', 0, 'number']`). */
export type FieldPath = Array<string | number>

/** What is shown above a form after a save that did not go through. */
export type SaveProblem =
  /** the host could not be reached: the dialog keeps its input and can be saved again once connected */
  | { kind: 'offline' }
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
 * Sorts a save's answer: saved; offline (nothing else applies: the input is kept for a retry);
 * an error under its field when `onFields` and the form has it; else a problem above the form.
 */
export function saveStep<Out>(r: Result<Out>, formFields: ReadonlyArray<ReadonlyArray<string | number>>, onFields: boolean): SaveStep<Out> {
  if (r.ok) return { kind: 'saved', value: r.value }
  if (r.error.code === 'OFFLINE') return { kind: 'problem', problem: { kind: 'offline' } }
  const path = onFields ? errorFieldPath(r.error, formFields) : null
  return path ? { kind: 'field', path, error: r.error } : { kind: 'problem', problem: { kind: 'error', error: r.error } }
}
