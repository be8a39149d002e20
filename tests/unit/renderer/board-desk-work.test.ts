import type { IGetRowsParams } from 'ag-grid-community'
import type { FormInstance, FormRule } from 'antd'
import type { TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { statusTotals } from '@shared/domain/board-totals'
import { hostSocketUrl } from '../../../renderer/src/api/host-client'
import { confirmPasswordRules, strongPasswordRule } from '../../../renderer/src/app/password-rules'
import { textRule } from '../../../renderer/src/app/text-rules'
import { newListPrice } from '../../../renderer/src/features/board/bulk-price'
import { bulkItems, decisionText, payloadText } from '../../../renderer/src/features/board/request-text'
import { focusKind, SwipeCatcher, type KeyPress } from '../../../renderer/src/features/front-desk/swipe-catcher'
import { choiceLabel, toAnswers, type QuestionSetData } from '../../../renderer/src/features/work/questionnaire-answers'
import { pagedDatasource, type PageRequest } from '../../../renderer/src/grid/paged-datasource'
import { textsIn } from './i18n-fixture'

let zhT: TFunction
let enT: TFunction
beforeAll(async () => {
  zhT = await textsIn('zh')
  enT = await textsIn('en')
})

type Request = OutputOf<'changes.list'>['requests'][number]

describe('change requests in words', () => {
  const labels: Request['labels'] = { unit: '1号楼-202', toUnit: '1号楼-305', client: null }

  it('says what each kind of change asks, prices in 万元', () => {
    expect(payloadText(zhT, { kind: 'swap', payload: { toUnitId: 12 }, labels })).toBe('换到 1号楼-305')
    expect(payloadText(zhT, { kind: 'rename', payload: { clientId: 9 }, labels })).toBe('更名为 #9')
    expect(payloadText(zhT, { kind: 'discount', payload: { price: 268_000_000 }, labels })).toBe('成交价调为 268 万元')
    const items = [
      { unitId: 1, unit: 'A-101', listPrice: 310_000_000, was: 300_000_000, version: 1 },
      { unitId: 2, unit: 'A-102', listPrice: 297_500_000, was: 300_000_000, version: 1 },
    ]
    expect(payloadText(zhT, { kind: 'bulkPrice', payload: { items }, labels })).toBe('2 套房源调整标价，合计 +7.5 万元')
    expect(bulkItems({ kind: 'bulkPrice', payload: { items } })).toEqual(items)
    expect(bulkItems({ kind: 'bulkPrice', payload: { items: 'garbled' } })).toBeNull()
    expect(bulkItems({ kind: 'price', payload: { items } })).toBeNull()
  })

  it('tells a decided step (who, how, when, why) from one still waiting', () => {
    const step: Request['steps'][number] = { role: 'manager', decision: 'rejected', byId: 3, by: '王店长', at: '2026-11-25T02:00:00Z', comment: '价格太低' }
    expect(decisionText(zhT, step)).toBe('王店长 驳回 2026-11-25 10:00：价格太低')
    expect(decisionText(enT, { ...step, decision: 'approved', comment: null })).toBe('王店长 approved 2026-11-25 10:00')
    expect(decisionText(zhT, { ...step, decision: null, by: null, at: null, comment: null })).toBe('待审批')
  })

  it('prices a bulk change by percent or by yuan per unit, rounded to the yuan', () => {
    expect(newListPrice(300_000_000, 'percent', 5)).toBe(315_000_000)
    expect(newListPrice(123_456_789, 'percent', -3.5)).toBe(119_135_800)
    expect(newListPrice(300_000_000, 'amount', 50_000)).toBe(305_000_000)
    expect(newListPrice(300_000_000, 'amount', -0.4)).toBe(300_000_000)
    expect(newListPrice(300_000_000, 'amount', -0.6)).toBe(299_999_900)
  })

  it('totals units by status, at the deal price where there is a deal', () => {
    const totals = statusTotals([
      { status: 'available', area: 8_950, listPrice: 300_000_000, tx: null },
      { status: 'sign', area: 12_000, listPrice: 400_000_000, tx: { price: 380_000_000 } },
      { status: 'available', area: 9_000, listPrice: 310_000_000, tx: null },
    ])
    expect(totals).toEqual([
      { status: 'available', count: 2, area: 17_950, amount: 610_000_000 },
      { status: 'sign', count: 1, area: 12_000, amount: 380_000_000 },
    ])
  })
})

describe('the grid’s paged datasource', () => {
  /** One block request as AG Grid makes it, recording what the datasource answers. */
  function ask(startRow: number, endRow: number) {
    const got: { rows?: unknown[]; last?: number; failed: boolean } = { failed: false }
    const params: IGetRowsParams = {
      startRow,
      endRow,
      sortModel: [{ colId: 'createdAt', sort: 'desc' }],
      filterModel: {},
      context: undefined,
      successCallback: (rows, last) => Object.assign(got, { rows, last }),
      failCallback: () => (got.failed = true),
    }
    return { params, got }
  }

  it('asks the host for the block as offset and limit with the sort, and reports the total', async () => {
    const asked: PageRequest[] = []
    const totals: number[] = []
    const ds = pagedDatasource(
      async (page): Promise<Result<{ rows: string[]; total: number }>> => {
        asked.push(page)
        return { ok: true, value: { rows: ['a', 'b'], total: 102 } }
      },
      { onTotal: (n) => totals.push(n), onError: () => expect.fail('no error expected') },
    )
    const { params, got } = ask(100, 200)
    ds.getRows(params)
    await expect.poll(() => got.rows).toEqual(['a', 'b'])
    expect(asked).toEqual([{ offset: 100, limit: 100, sortModel: [{ colId: 'createdAt', sort: 'desc' }] }])
    expect(got.last).toBe(102)
    expect(totals).toEqual([102])
  })

  // issue #15: a total the host only estimated says "about" and never ends the grid early
  it('takes an estimated total as no last row, until a short block ends the rows', async () => {
    const totals: Array<[number, boolean]> = []
    const ds = pagedDatasource(
      async (page): Promise<Result<{ rows: string[]; total: number; totalExact: boolean }>> => ({
        ok: true,
        value: { rows: page.offset === 0 ? Array.from({ length: 100 }, (_, i) => `r${i}`) : ['x', 'y'], total: 2_200, totalExact: false },
      }),
      { onTotal: (n, exact) => totals.push([n, exact]), onError: () => expect.fail('no error expected') },
    )
    const full = ask(0, 100)
    ds.getRows(full.params)
    await expect.poll(() => full.got.rows?.length).toBe(100)
    expect(full.got.last).toBeUndefined()
    const short = ask(100, 200)
    ds.getRows(short.params)
    await expect.poll(() => short.got.rows).toEqual(['x', 'y'])
    expect(short.got.last).toBe(102)
    expect(totals).toEqual([[2_200, false], [2_200, false]])
  })

  it('fails the block and hands the host’s error on', async () => {
    const errors: ApiErrorShape[] = []
    const ds = pagedDatasource(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } }), { onTotal: () => expect.fail('no total expected'), onError: (e) => errors.push(e) })
    const { params, got } = ask(0, 100)
    ds.getRows(params)
    await expect.poll(() => got.failed).toBe(true)
    expect(errors).toEqual([{ code: 'FORBIDDEN', message: 'no' }])
  })
})

describe('keyboard-type card readers on the page', () => {
  const press = (key: string, at: number, chord = false): KeyPress => ({ key, at, chord, repeat: false })

  it('takes a fast burst of digits ending in Enter as a swipe in the reader’s format', () => {
    const c = new SwipeCatcher()
    const keys = [...'0169552957'].map((k, i) => c.key(press(k, 1000 + i * 5), 'none', 'decimal-10'))
    expect(keys.every((k) => k.hold && k.pass.length === 0)).toBe(true)
    const end = c.key(press('Enter', 1055), 'none', 'decimal-10')
    expect(end).toEqual({ pass: [], hold: true, swipe: { text: '0169552957', format: 'decimal-10' } })
  })

  it('hands back typing: after a pause, on a chord, and never holds keys in a text field', () => {
    const c = new SwipeCatcher()
    c.key(press('1', 0), 'none', 'decimal-10')
    c.key(press('2', 5), 'none', 'decimal-10')
    expect(c.deadline()).toBe(35)
    expect(c.tick(40)).toEqual(['1', '2'])
    c.key(press('3', 100), 'swipe-field', 'decimal-10')
    expect(c.key(press('c', 103, true), 'swipe-field', 'decimal-10')).toEqual({ pass: ['3'], hold: false, swipe: null })
    expect(c.key(press('4', 200), 'text-field', 'decimal-10')).toEqual({ pass: [], hold: false, swipe: null })
  })

  it('reads hex letters only from a reader set to type hex', () => {
    const c = new SwipeCatcher()
    expect(c.key(press('a', 0), 'none', 'decimal-10').hold).toBe(false)
    const hex = [...'0A1B2C3D'].map((k, i) => c.key(press(k, 100 + i * 5), 'none', 'hex-be'))
    expect(hex.every((k) => k.hold)).toBe(true)
    expect(c.key(press('Enter', 150), 'none', 'hex-be').swipe).toEqual({ text: '0A1B2C3D', format: 'hex-be' })
  })

  it('knows where keys go from the focused element', () => {
    const el = (tag: string, over: Partial<{ type: string; editable: boolean; swipeField: boolean }> = {}) => ({ tag, type: '', editable: false, swipeField: false, ...over })
    expect(focusKind(null)).toBe('none')
    expect(focusKind(el('INPUT', { type: 'text', swipeField: true }))).toBe('swipe-field')
    expect(focusKind(el('INPUT', { type: 'search' }))).toBe('text-field')
    expect(focusKind(el('INPUT', { type: 'checkbox' }))).toBe('none')
    expect(focusKind(el('TEXTAREA'))).toBe('text-field')
    expect(focusKind(el('DIV', { editable: true }))).toBe('text-field')
    expect(focusKind(el('BUTTON'))).toBe('none')
  })
})

describe('questionnaire answers', () => {
  const set: QuestionSetData = {
    id: 1,
    name: '首访',
    active: true,
    surveyKind: null,
    questions: [
      { key: 'when', text: '打算什么时候买？', field: 'purchaseHorizon', type: 'choice', options: ['near', 'far'] },
      { key: 'people', text: '几口人住？', field: 'householdSize', type: 'number' },
      { key: 'feel', text: '感觉如何', type: 'choice', options: ['满意'] },
      { key: 'note', text: '备注', type: 'text' },
      { key: 'loan', text: '需要贷款吗', type: 'boolean' },
    ],
  }

  it('sends only what was answered, trimmed', () => {
    expect(toAnswers(set, { when: 'near', people: 0, feel: undefined, note: '  ', loan: false })).toEqual([
      { key: 'when', value: 'near' },
      { key: 'people', value: 0 },
      { key: 'loan', value: false },
    ])
  })

  it('shows choices that fill a profile field in the UI language, other choices as written', () => {
    const [when, , feel] = set.questions
    expect(choiceLabel(zhT, when!, 'near')).toBe('近期')
    expect(choiceLabel(enT, when!, 'near')).toBe('Soon')
    expect(choiceLabel(enT, when!, 'someday')).toBe('someday')
    expect(choiceLabel(enT, feel!, '满意')).toBe('满意')
  })
})

describe('form rules that say what the host would', () => {
  /** Runs an antd rule (object or function of the form) on a value; resolves to the refusal or null. */
  async function check(rule: FormRule | undefined, value: unknown, fields: Record<string, unknown> = {}): Promise<string | null> {
    // the rule reads other fields only through getFieldValue
    const form: Pick<FormInstance, 'getFieldValue'> = { getFieldValue: (n: string) => fields[n] }
    const r = typeof rule === 'function' ? rule(form as FormInstance) : rule
    try {
      await r?.validator?.({}, value, () => {})
      return null
    } catch (e) {
      return (e as Error).message
    }
  }

  it('refuses a weak new password in the host’s words, and the repeat when it differs', async () => {
    const rule = strongPasswordRule(zhT, 'newPassword', (get) => ({ username: get('username'), name: get('name') }))
    expect(await check(rule, 'short', {})).toBe('新密码：至少 8 个字符')
    expect(await check(rule, 'zhangwei2024', { username: 'zhangwei', name: '张伟' })).toBe('新密码：不能用账号、姓名（含拼音）或“客源”，倒写或加数字也不行')
    expect(await check(rule, 'Lantern-Harbour-93', { username: 'zhangwei' })).toBeNull()
    expect(await check(rule, '', {})).toBeNull()
    const [required, same] = confirmPasswordRules(zhT)
    expect(required).toMatchObject({ required: true, message: '请输入确认新密码' })
    expect(await check(same, 'abc', { newPassword: 'abd' })).toBe('两次输入的密码不一致')
    expect(await check(same, 'abc', { newPassword: 'abc' })).toBeNull()
  })

  it('refuses while typing what the host refuses in a name', async () => {
    expect(await check(textRule(zhT, 'name'), '王\u202E五')).toContain('U+202E')
    expect(await check(textRule(zhT, 'name'), '王五')).toBeNull()
  })
})

describe('the host’s address', () => {
  it('is the WebSocket on the host and port that served the page, secure when the page is', () => {
    expect(hostSocketUrl({ protocol: 'https:', host: '192.168.1.20:8443' } as Location)).toBe('wss://192.168.1.20:8443/ws')
    expect(hostSocketUrl({ protocol: 'http:', host: '127.0.0.1:5173' } as Location)).toBe('ws://127.0.0.1:5173/ws')
  })
})
