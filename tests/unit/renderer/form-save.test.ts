import type { TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import dayjs from 'dayjs'
import { draftKey, draftOf, parseDraft } from '../../../renderer/src/app/form-draft'
import { errorFieldPath, problemOnConnection, saveStep, type SaveProblem } from '../../../renderer/src/app/form-save'
import { CLIENT_SAVE_TEXTS } from '../../../renderer/src/features/clients/client-errors'
import { WORK_SAVE_TEXTS } from '../../../renderer/src/features/work/work-errors'
import { textsIn } from './i18n-fixture'

// The pure part of useFormSave (renderer/src/app/use-form-save.tsx): where a save's answer goes.
let zhT: TFunction
let enT: TFunction
beforeAll(async () => {
  zhT = await textsIn('zh')
  enT = await textsIn('en')
})

/** the field names a form dialog holds, as antd's getFieldsError gives them */
const FIELDS = [['note'], ['phones', 0, 'number'], ['org', 'legalRep']]

const failed = (error: ApiErrorShape): Result<never> => ({ ok: false, error })

describe('errorFieldPath', () => {
  it('finds the form field an error names, list indexes as numbers', () => {
    expect(errorFieldPath({ code: 'VALIDATION', message: 'x', field: 'note' }, FIELDS)).toEqual(['note'])
    expect(errorFieldPath({ code: 'VALIDATION', message: 'x', field: 'phones.0.number' }, FIELDS)).toEqual(['phones', 0, 'number'])
    expect(errorFieldPath({ code: 'VALIDATION', message: 'x', field: 'org.legalRep' }, FIELDS)).toEqual(['org', 'legalRep'])
  })

  it('is null for an error without a field or with one the form does not have', () => {
    expect(errorFieldPath({ code: 'CONFLICT', message: 'x' }, FIELDS)).toBeNull()
    expect(errorFieldPath({ code: 'VALIDATION', message: 'x', field: 'clientIds.3' }, FIELDS)).toBeNull()
    expect(errorFieldPath({ code: 'VALIDATION', message: 'x', field: 'phones.1.number' }, FIELDS)).toBeNull()
    // a prefix of a field is not the field
    expect(errorFieldPath({ code: 'VALIDATION', message: 'x', field: 'org' }, FIELDS)).toBeNull()
  })
})

describe('saveStep', () => {
  it('closes on a saved answer with its value', () => {
    expect(saveStep({ ok: true, value: { id: 4 } }, FIELDS, true, 'online')).toEqual({ kind: 'saved', value: { id: 4 } })
  })

  it('keeps the form when the host cannot be reached, whatever field the error names', () => {
    for (const connection of ['reconnecting', 'connecting', 'closed', 'idle'] as const) {
      expect(saveStep(failed({ code: 'OFFLINE', message: 'lost' }), FIELDS, true, connection)).toEqual({ kind: 'problem', problem: { kind: 'offline' } })
      expect(saveStep(failed({ code: 'OFFLINE', message: 'lost', field: 'note' }), FIELDS, true, connection)).toEqual({ kind: 'problem', problem: { kind: 'offline' } })
    }
  })

  it('does not say the connection is lost when the call went unanswered while it is up (the 30 s timeout)', () => {
    const timedOut = failed({ code: 'OFFLINE', message: 'the host did not answer in time' })
    expect(saveStep(timedOut, FIELDS, true, 'online')).toEqual({ kind: 'problem', problem: { kind: 'unanswered' } })
  })

  it('puts an error naming a field of the form under it, only when the dialog maps errors to fields', () => {
    const e: ApiErrorShape = { code: 'VALIDATION', message: 'too short', field: 'phones.0.number', reason: 'too_small' }
    expect(saveStep(failed(e), FIELDS, true, 'online')).toEqual({ kind: 'field', path: ['phones', 0, 'number'], error: e })
    expect(saveStep(failed(e), FIELDS, false, 'online')).toEqual({ kind: 'problem', problem: { kind: 'error', error: e } })
  })

  it('shows any other error above the form', () => {
    const stale: ApiErrorShape = { code: 'STALE_WRITE', message: 'changed' }
    const elsewhere: ApiErrorShape = { code: 'NOT_FOUND', message: 'gone', field: 'clientIds.2' }
    expect(saveStep(failed(stale), FIELDS, true, 'online')).toEqual({ kind: 'problem', problem: { kind: 'error', error: stale } })
    expect(saveStep(failed(elsewhere), FIELDS, true, 'online')).toEqual({ kind: 'problem', problem: { kind: 'error', error: elsewhere } })
  })
})

describe('problemOnConnection', () => {
  const offline: SaveProblem = { kind: 'offline' }
  const unanswered: SaveProblem = { kind: 'unanswered' }
  const error: SaveProblem = { kind: 'error', error: { code: 'CONFLICT', message: 'x' } }

  it('clears a line about a save that did not reach the host once the connection is up', () => {
    expect(problemOnConnection(offline, 'online')).toBeNull()
    expect(problemOnConnection(unanswered, 'online')).toBeNull()
  })

  it('keeps it while the connection is down, and keeps the host’s own errors', () => {
    expect(problemOnConnection(offline, 'reconnecting')).toBe(offline)
    expect(problemOnConnection(unanswered, 'reconnecting')).toBe(unanswered)
    expect(problemOnConnection(error, 'online')).toBe(error)
    expect(problemOnConnection(null, 'online')).toBeNull()
  })
})

describe('the words of a kept form and of the features’ save texts', () => {
  it('says the entries are kept, in Chinese and English', () => {
    expect(zhT('connection.formKept')).toBe('连接已断开，内容已保留，恢复连接后可再保存')
    expect(enT('connection.formKept')).toMatch(/kept/)
    expect(zhT('connection.formUnanswered')).toContain('内容已保留')
    expect(zhT('connection.formUnanswered')).not.toContain('连接已断开')
    expect(enT('connection.formUnanswered')).toMatch(/did not answer/)
  })

  it('words a field error without the label under the field, and with it above the form', () => {
    const e: ApiErrorShape = { code: 'VALIDATION', message: 'required', field: 'note', reason: 'too_small', params: { minimum: 1 } }
    const under = CLIENT_SAVE_TEXTS.field!(zhT, e)
    const above = CLIENT_SAVE_TEXTS.problem(zhT, e)
    expect(under).not.toBe('')
    expect(above).toContain(under)
    const busy: ApiErrorShape = { code: 'CONFLICT', message: 'busy', field: 'startsAt', reason: 'agent_busy', params: { startsAt: '2026-12-01T02:00:00.000Z', clientName: '王五' } }
    expect(WORK_SAVE_TEXTS.field!(enT, busy)).toBe('The agent already has a viewing then (2026-12-01 10:00, 王五); pick another time')
  })
})

describe('a dialog’s draft kept in the tab', () => {
  it('keeps text, numbers, choices and lists of them; leaves dates and nested answers out', () => {
    const values = { channel: 'phone', content: '客户想看三楼', setId: 3, completeTask: true, tags: ['学区'], nextDueAt: dayjs('2026-12-08T10:00:00+08:00'), answers: { q1: 'a' }, intention: undefined }
    expect(draftOf(values)).toEqual({ channel: 'phone', content: '客户想看三楼', setId: 3, completeTask: true, tags: ['学区'] })
    expect(draftOf({ nextDueAt: dayjs() })).toBeNull()
    expect(draftOf(null)).toBeNull()
  })

  it('reads back what it wrote, and nothing from text that is not a draft', () => {
    const kept = draftOf({ content: '回访：满意', satisfaction: 5 })
    expect(parseDraft(JSON.stringify(kept))).toEqual({ content: '回访：满意', satisfaction: 5 })
    expect(parseDraft(null)).toBeNull()
    expect(parseDraft('{not json')).toBeNull()
    expect(parseDraft('{"content":{"nested":1}}')).toBeNull()
    expect(parseDraft('[1,2]')).toBeNull()
  })

  it('keys a draft by the staff member, so a colleague on the same tab does not see it', () => {
    expect(draftKey(3, 'followUp.12.contact')).not.toBe(draftKey(4, 'followUp.12.contact'))
  })
})
