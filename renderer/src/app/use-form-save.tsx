import { Alert, Form, type FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import { useEffect, useState, type ReactElement } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { useConnectionNow, useConnectionState } from '../api/connection'
import { useSession } from '../api/session-context'
import { errorText } from '../i18n/error-text'
import { draftKey, draftOf, parseDraft } from './form-draft'
import { problemOnConnection, saveStep, type SaveProblem } from './form-save'

/** How a feature words a host error: the sentence above the form, and the text under the field it names. */
export interface SaveTexts {
  problem(t: TFunction, e: ApiErrorShape): string
  /** without it every error is shown above the form */
  field?(t: TFunction, e: ApiErrorShape): string
}

/** The app's general wording of host errors, above the form or under the field they name. */
export const APP_SAVE_TEXTS: SaveTexts = { problem: errorText, field: errorText }

interface FormSaveOptions<Values, Out> {
  /** sends the form's values */
  save(values: Values): Promise<Result<Out>>
  /** after the save went through, before the dialog closes: the "saved" line, telling the page */
  saved(value: Out, values: Values): void
  /** closes the dialog (after `saved`); none for a form on a page (the settings), which stays */
  close?(): void
  /** true when the dialog stays open after this save (it follows a job the save started) */
  staysOpen?(value: Out): boolean
  /** an error the dialog answers itself (a STALE_WRITE that closes it): true when nothing more is shown */
  refused?(e: ApiErrorShape): boolean
  texts: SaveTexts
  /**
   * Names the dialog and what it is about (`followUp.12.contact`): what is typed is kept in this
   * tab (sessionStorage) until it is saved or cancelled, and comes back when the same dialog opens
   * again after a reload. Text, numbers and choices only (see draftOf).
   */
  draft?: string
}

/** What a form dialog needs from useFormSave. */
export interface FormSave<Values> {
  /** the submit button spins while true */
  saving: boolean
  /** the form's onFinish */
  submit(values: Values): void
  /** the line above the form after a save that did not go through, or null */
  problem: ReactElement | null
  /** the dialog's cancel: drops its kept draft and the line above the form, and closes */
  cancel(): void
}

/**
 * The saving of a form dialog: the spinner, the host's error under the field it names or above
 * the form in the feature's words, the close after a success. When the host cannot be reached the
 * dialog stays open with its input and says so; once connected, pressing save again sends the
 * same call, which the transport sends with the same idempotency key, so a write that went
 * through before the line was cut is not made twice.
 */
export function useFormSave<Values, Out>(form: FormInstance<Values>, opts: FormSaveOptions<Values, Out>): FormSave<Values> {
  const { t } = useTranslation()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<SaveProblem | null>(null)
  const connection = useConnectionState().kind
  const connectionNow = useConnectionNow()
  const session = useSession().state
  const draftAt = opts.draft && session.status === 'signed-in' ? draftKey(session.me.id, opts.draft) : null
  // every change re-renders the dialog: only for one that keeps a draft
  const watched = Form.useWatch((all: Values) => (draftAt ? all : null), form)

  // a draft kept before a reload comes back as the dialog opens
  useEffect(() => {
    if (!draftAt) return
    const kept = parseDraft(sessionStorage.getItem(draftAt))
    if (kept) form.setFieldsValue(kept as never)
  }, [form, draftAt])

  // kept as it is typed (only once the person has changed something: the opening values are no draft)
  useEffect(() => {
    if (!draftAt || !form.isFieldsTouched()) return
    const kept = draftOf(watched)
    if (kept) sessionStorage.setItem(draftAt, JSON.stringify(kept))
  }, [form, draftAt, watched])

  function dropDraft() {
    if (draftAt) sessionStorage.removeItem(draftAt)
  }

  // connected again: the "kept" line has done its job, the save button works again
  useEffect(() => setProblem((p) => problemOnConnection(p, connection)), [connection])

  async function submit(values: Values) {
    setSaving(true)
    setProblem(null)
    const r = await opts.save(values)
    setSaving(false)
    if (!r.ok && opts.refused?.(r.error)) return
    const fields = form.getFieldsError().map((f) => f.name)
    // the state as the answer comes, not as the dialog last rendered: a timeout while online is no lost connection
    const step = saveStep(r, fields, opts.texts.field !== undefined, connectionNow().kind)
    if (step.kind === 'saved') {
      dropDraft()
      opts.saved(step.value, values)
      if (!opts.staysOpen?.(step.value)) opts.close?.()
    } else if (step.kind === 'field' && opts.texts.field) {
      form.setFields([{ name: step.path as never, errors: [opts.texts.field(t, step.error)] }])
      form.scrollToField(step.path, { block: 'center' })
      form.focusField(step.path)
    } else if (step.kind === 'problem') {
      setProblem(step.problem)
    }
  }

  return {
    saving,
    cancel: () => {
      dropDraft()
      // a dialog that stays mounted while closed (open={false}) opens again without the old line
      setProblem(null)
      opts.close?.()
    },
    submit: (values) => void submit(values),
    problem:
      problem === null ? null : problem.kind !== 'error' ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          message={t(problem.kind === 'offline' ? 'connection.formKept' : 'connection.formUnanswered')}
          style={{ marginBottom: 16 }}
          data-testid={`form-kept-${problem.kind}`}
        />
      ) : (
        <Alert type="error" showIcon role="alert" message={opts.texts.problem(t, problem.error)} style={{ marginBottom: 16 }} />
      ),
  }
}
