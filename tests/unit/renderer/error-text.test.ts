import type { TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ApiErrorShape } from '@shared/contract/common'
import { boardErrorText } from '../../../renderer/src/features/board/format'
import { clientErrorText, clientFieldError, clientFieldLabel } from '../../../renderer/src/features/clients/client-errors'
import { deskErrorText } from '../../../renderer/src/features/front-desk/desk-errors'
import { workErrorText, workFieldText } from '../../../renderer/src/features/work/work-errors'
import { en } from '../../../renderer/src/i18n/en'
import { errorText, fieldLabel, roleName, validationText } from '../../../renderer/src/i18n/error-text'
import { firstTextIn, isTextIn } from '../../../renderer/src/i18n/text-keys'
import { zh } from '../../../renderer/src/i18n/zh'
import { textsIn } from './i18n-fixture'

let zhT: TFunction
let enT: TFunction
beforeAll(async () => {
  zhT = await textsIn('zh')
  enT = await textsIn('en')
})

const err = (e: Partial<ApiErrorShape> & Pick<ApiErrorShape, 'code'>): ApiErrorShape => ({ message: 'host words', ...e })

/** Every dotted key of a resource tree with its text. */
function leaves(node: object, prefix = ''): Array<[string, string]> {
  return Object.entries(node).flatMap(([k, v]): Array<[string, string]> => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : leaves(v as object, `${prefix}${k}.`)))
}
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]))].sort()

describe('the two languages', () => {
  it('have the same keys, and each English text names the same {{placeholders}} as the Chinese one', () => {
    const zhLeaves = leaves(zh)
    const enByKey = new Map(leaves(en))
    expect(enByKey.size).toBe(zhLeaves.length)
    for (const [key, text] of zhLeaves) {
      const english = enByKey.get(key)
      expect(english, key).toBeDefined()
      expect(placeholders(english ?? ''), key).toEqual(placeholders(text))
    }
  })
})

describe('typed look-ups of keys the host names', () => {
  it('find a name only where it holds a text, not a nested group or a name it lacks', () => {
    expect(isTextIn(zh.errors, 'CONFLICT_field')).toBe(true)
    expect(isTextIn(zh.board, 'status')).toBe(false)
    expect(isTextIn(zh.errors, 'toString')).toBe(false)
    expect(isTextIn(zh.errors, 'NO_SUCH_CODE')).toBe(false)
    expect(firstTextIn(zh.validation, ['invalid_format_phone', 'invalid_format'])).toBe('invalid_format_phone')
    expect(firstTextIn(zh.validation, ['invalid_format_fax', 'invalid_format'])).toBe('invalid_format')
    expect(firstTextIn(zh.validation, ['nope'])).toBeUndefined()
  })
})

describe('app-wide error text', () => {
  it('names the field, with the most specific reason the texts have', () => {
    expect(errorText(zhT, err({ code: 'VALIDATION', field: 'password', reason: 'too_small', params: { minimum: 8 } }))).toBe('密码：至少 8 个字符')
    expect(errorText(zhT, err({ code: 'VALIDATION', field: 'username', reason: 'too_small', params: { minimum: 1 } }))).toBe('账号：不能为空')
    expect(errorText(zhT, err({ code: 'VALIDATION', field: 'phone', reason: 'invalid_format' }))).toBe('电话：只能包含数字、空格、短横线、点、加号和括号')
    expect(errorText(enT, err({ code: 'VALIDATION', field: 'username', reason: 'invalid_format' }))).toBe('Username: only letters, digits, underscore, dot and dash')
  })

  it('falls back to the host’s message for a reason it has no words for, and keeps an unknown field’s name', () => {
    expect(errorText(zhT, err({ code: 'VALIDATION', field: 'nickname', reason: 'brand_new_reason' }))).toBe('nickname：host words')
    expect(fieldLabel(zhT, 'staff.name')).toBe('姓名')
    expect(fieldLabel(zhT, 'nickname')).toBe('nickname')
  })

  it('picks code_field, then code_field-generic, then the code for a refusal naming a field', () => {
    expect(errorText(zhT, err({ code: 'FORBIDDEN', field: 'role' }))).toBe('不能修改自己的角色')
    expect(errorText(zhT, err({ code: 'CONFLICT', field: 'username' }))).toBe('账号已存在，请换一个')
    expect(errorText(zhT, err({ code: 'NOT_FOUND', field: 'id' }))).toBe('记录不存在或已被删除')
    expect(errorText(zhT, err({ code: 'OFFLINE' }))).toBe('无法连接主机，请检查网络或确认主机已开启')
  })

  it('words a refusal by its reason, with the role in the UI language', () => {
    expect(errorText(zhT, err({ code: 'FORBIDDEN', reason: 'own_request', params: { step: 2, role: 'manager' } }))).toBe('不能审批自己提交的申请，第2步需由另一位店长审批')
    expect(errorText(enT, err({ code: 'FORBIDDEN', reason: 'own_request', params: { step: 2, role: 'manager' } }))).toBe('You cannot approve your own request; another Manager decides step 2')
    expect(errorText(zhT, err({ code: 'FORBIDDEN', reason: 'unheard_of' }))).toBe('您无权执行此操作')
  })

  it('says how long to wait, by what was limited', () => {
    expect(errorText(zhT, err({ code: 'RATE_LIMITED', params: { seconds: 30 } }))).toBe('登录失败次数过多，请 30 秒后再试')
    expect(errorText(zhT, err({ code: 'RATE_LIMITED', reason: 'phone_lookups', params: { seconds: 5 } }))).toBe('查询电话号码过于频繁，请 5 秒后再试')
    expect(errorText(zhT, err({ code: 'RATE_LIMITED', reason: 'unknown_limit', params: { seconds: 5 } }))).toBe('登录失败次数过多，请 5 秒后再试')
  })

  it('has role names and validation sentences as helpers', () => {
    expect(roleName(zhT, 'front_desk')).toBe('前台')
    expect(roleName(enT, 'chief')).toBe('chief')
    expect(validationText(zhT, 'invalid_format', 'username', undefined)).toBe('只能包含英文字母、数字、下划线、点和短横线')
    expect(validationText(zhT, 'no_such_reason', 'x', undefined)).toBeNull()
  })
})

describe('client errors', () => {
  it('label nested and indexed fields', () => {
    expect(clientFieldLabel(zhT, 'org.legalRep')).toBe('法人代表')
    expect(clientFieldLabel(zhT, 'phones.1.number')).toBe('电话')
    expect(clientFieldLabel(zhT, 'children.0.age')).toBe('子女')
    expect(clientFieldLabel(zhT, 'username')).toBe('账号')
    expect(clientFieldLabel(zhT, 'mystery')).toBe('mystery')
  })

  it('say under a field what is wrong: required, too short or small, a known reason, a shared reason', () => {
    const v = (field: string, reason: string, params?: ApiErrorShape['params']) => err({ code: 'VALIDATION', field, reason, ...(params ? { params } : {}) })
    expect(clientFieldError(zhT, v('name', 'too_small', { minimum: 1 }))).toBe('请填写姓名')
    expect(clientFieldError(zhT, v('name', 'too_small', { minimum: 2 }))).toBe('至少 2 个字')
    expect(clientFieldError(zhT, v('age', 'too_small', { minimum: 1 }))).toBe('不能小于 1')
    expect(clientFieldError(zhT, v('areaMax', 'too_big', { maximum: 10000 }))).toBe('不能大于 10000')
    expect(clientFieldError(zhT, v('email', 'invalid_format'))).toBe('邮箱格式不正确')
    expect(clientFieldError(zhT, v('phones.0.number', 'phone_invalid'))).toBe('不是有效的电话号码，请检查位数和区号')
    expect(clientFieldError(zhT, v('name', 'bidi_char', { char: 'U+202E' }))).toContain('U+202E')
    expect(clientFieldError(zhT, v('name', 'never_heard'))).toBe('输入有误，请检查后再提交')
  })

  it('name the client a duplicate belongs to, and whose it is', () => {
    const dup = (reason: string, params: ApiErrorShape['params']) => err({ code: 'DUPLICATE', field: 'phones.0.number', reason, params })
    expect(clientFieldError(zhT, dup('phone_taken', { name: '王五', code: 'C0007', ownerName: '陈经纪' }))).toBe('该号码已登记：客户 王五（C0007），归属 陈经纪')
    expect(clientFieldError(zhT, dup('phone_taken', { name: '王五', code: 'C0007' }))).toBe('该号码已登记：客户 王五（C0007），在公客池中')
    expect(clientFieldError(zhT, dup('org_taken', {}))).toBe('已有同名机构客户')
    expect(clientFieldError(zhT, err({ code: 'LIMIT_REACHED', field: 'ownerId', reason: 'owner_cap', params: { cap: 200 } }))).toBe('该经纪人已有 200 位客户，达到上限，请先移交部分客户')
  })

  it('make one sentence for the top of a form, field first, or the general text', () => {
    expect(clientErrorText(zhT, err({ code: 'VALIDATION', field: 'org.term', reason: 'too_big', params: { maximum: 40 } }))).toBe('经营期限：最多 40 个字')
    expect(clientErrorText(zhT, err({ code: 'STALE_WRITE', field: 'version' }))).toBe('该记录已被他人修改，已重新加载最新内容，请核对后再保存')
    expect(clientErrorText(enT, err({ code: 'CONFLICT', field: 'clientId', reason: 'own_client' }))).not.toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('board, desk and follow-up errors', () => {
  it('the board names who holds a unit and as what, and money in yuan', () => {
    expect(boardErrorText(zhT, err({ code: 'CONFLICT', reason: 'unit_small_deposit', params: { holder: '李四', status: 'small_deposit' } }))).toBe('该房源已被 李四 小订')
    expect(boardErrorText(enT, err({ code: 'CONFLICT', reason: 'unit_hold', params: { holder: 'Li Si' } }))).not.toMatch(/[\u4e00-\u9fff]/)
    expect(boardErrorText(zhT, err({ code: 'CONFLICT', reason: 'unit_hold', params: { holder: '', status: 'hold' } }))).toBe('该房源已被 店长 预留/控房')
    expect(boardErrorText(zhT, err({ code: 'VALIDATION', field: 'amount', reason: 'over_balance', params: { balance: 149_100_000 } }))).toBe('金额超过未付余额 1,491,000 元')
    expect(boardErrorText(zhT, err({ code: 'CONFLICT', reason: 'bad_step', params: { from: 'sign' } }))).toBe('不能从“签约”推进到这一步')
    expect(boardErrorText(zhT, err({ code: 'FORBIDDEN', reason: 'not_your_step', params: { step: 1, of: 2, role: 'manager' } }))).toBe('这一步（第1步/共2步）由店长审批')
    expect(boardErrorText(zhT, err({ code: 'NOT_FOUND' }))).toBe('记录不存在或已被删除')
  })

  it('member pricing refusals name the member price in yuan, the new level and %, in zh and en', () => {
    expect(boardErrorText(zhT, err({ code: 'VALIDATION', field: 'price', reason: 'above_member_price', params: { price: 297_000_000, level: '金卡会员' } }))).toBe('会员价为 2,970,000 元（金卡会员），成交价不能高于会员价')
    expect(boardErrorText(zhT, err({ code: 'CONFLICT', field: 'price', reason: 'member_discount_changed', params: { level: '钻石会员', percent: '2' } }))).toBe('客户的会员等级已变为 钻石会员（优惠 2%），请看过新的会员价后再提交')
    expect(boardErrorText(zhT, err({ code: 'CONFLICT', field: 'unitId', reason: 'deal_moved' }))).toBe('这笔交易刚被他人改动，请看过最新状态后再操作')
    for (const reason of ['above_member_price', 'member_discount_changed', 'deal_moved']) {
      expect(boardErrorText(enT, err({ code: 'CONFLICT', field: 'price', reason, params: { price: 1, level: 'Gold', percent: '1' } }))).not.toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('the desk prefers its own words, then the club’s, then the general text', () => {
    expect(deskErrorText(zhT, err({ code: 'CONFLICT', reason: 'card_taken', params: { name: '王五', code: 'C0007' } }))).toBe('这张卡已发给 王五（C0007）')
    expect(deskErrorText(zhT, err({ code: 'CONFLICT', reason: 'activity_full', params: { cap: 30 } }))).toBe('活动已满（上限 30 人）')
    expect(deskErrorText(zhT, err({ code: 'BUSY', reason: 'whatever' }))).toBe('同时发出的请求过多，请等前面的请求完成后再试')
  })

  it('follow-up errors read a clash’s time on the branch clock and pick reason_field first', () => {
    const clash = err({ code: 'CONFLICT', field: 'startsAt', reason: 'client_busy', params: { startsAt: '2026-11-25T02:00:00Z' } })
    expect(workErrorText(zhT, clash)).toBe('该客户在这个时间段已有带看（2026-11-25 10:00），请换个时间')
    expect(workErrorText(zhT, err({ code: 'VALIDATION', field: 'startsAt', reason: 'in_past' }))).toBe('带看时间已经过去，不能预约过去的时间')
    expect(workErrorText(zhT, err({ code: 'VALIDATION', field: 'dueAt', reason: 'in_past' }))).toBe('时间已经过去，请选择将来的时间')
    expect(workFieldText(zhT, err({ code: 'VALIDATION', field: 'ownerCap', reason: 'too_big', params: { maximum: 500 } }), 'number')).toBe('不能大于 500')
    expect(workFieldText(zhT, err({ code: 'VALIDATION', field: 'lostReasons', reason: 'too_small', params: { minimum: 1 } }), 'list')).toBe('至少 1 项')
    expect(workFieldText(zhT, err({ code: 'VALIDATION', field: 'content', reason: 'mystery' }))).toBe('host words')
  })
})
