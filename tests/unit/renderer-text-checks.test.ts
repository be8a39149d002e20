import i18next, { type TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { TEXT_REASONS } from '@shared/domain/text-kinds'
import { textProblemText } from '../../renderer/src/app/text-rules'
import { clientErrorText } from '../../renderer/src/features/clients/client-errors'
import { readViews } from '../../renderer/src/features/clients/client-list-model'
import { duplicateQuery, phoneDigitCount } from '../../renderer/src/features/clients/use-duplicate-check'
import { errorText } from '../../renderer/src/i18n/error-text'
import { en } from '../../renderer/src/i18n/en'
import { zh } from '../../renderer/src/i18n/zh'

let zhT: TFunction
let enT: TFunction
beforeAll(async () => {
  const make = async (lng: string) => {
    const i = i18next.createInstance()
    await i.init({ resources: { zh: { translation: zh }, en: { translation: en } }, lng, interpolation: { escapeValue: false } })
    return i.t
  }
  zhT = await make('zh')
  enT = await make('en')
})

describe('the client dialog’s live duplicate check', () => {
  it('asks about a number written (+86)139-…, with full-width digits or dots, as typed', () => {
    for (const typed of ['(+86)139-1234-5678', '（+86）139 1234 5678', '１３９１', '+86 139.1234.5678']) {
      expect(duplicateQuery([typed], undefined), typed).toEqual({ phones: [typed] })
    }
    expect(phoneDigitCount('（＋８６）１３９')).toBe(5)
    expect(duplicateQuery(['139'], undefined)).toBeNull()
    expect(duplicateQuery(['', ' '], ' 锦华 ')).toEqual({ phones: ['', ''], orgName: '锦华' })
  })
})

describe('saved views', () => {
  it('keep only the filter keys this version sends (the host refuses unknown ones)', () => {
    const views = readViews([{ name: 'VIP', view: 'mine', filter: { tier: ['vip'], q: '旧版本的搜索', region: '浦东' }, sort: null }])
    expect(views[0]?.filter).toEqual({ tier: ['vip'], region: '浦东' })
  })
})

describe('text refusals in words', () => {
  it('every reason has zh and en text that names the character', () => {
    for (const reason of TEXT_REASONS) {
      for (const t of [zhT, enT]) {
        const text = t(`validation.${reason}`, { char: 'U+202E', glyph: '😊', defaultValue: '' })
        expect(text, reason).not.toBe('')
        if (reason !== 'line_break') expect(text, reason).toMatch(/U\+202E|😊/)
      }
    }
  })

  it('a client form field refused by the host says which character, in Chinese first', () => {
    const e = { code: 'VALIDATION' as const, message: 'x', field: 'name', reason: 'bidi_char', params: { char: 'U+202E' } }
    expect(clientErrorText(zhT, e)).toBe('姓名：不能包含改变文字方向的控制符（U+202E），它会让显示的内容和实际内容不一致')
    expect(clientErrorText(enT, e)).toMatch(/^Name: must not contain text-direction controls \(U\+202E\)/)
    const unknown = { code: 'VALIDATION' as const, message: 'x', field: 'nickname', reason: 'unrecognized_keys', params: { keys: 'nickname' } }
    expect(errorText(zhT, unknown)).toContain('不是可以提交的项目（nickname）')
  })

  it('the form checks as the host does while typing', () => {
    expect(textProblemText(zhT, 'name', '王\u202E五')).toContain('U+202E')
    expect(textProblemText(zhT, 'name', '小王😊')).toBe('不能包含“😊”')
    expect(textProblemText(zhT, 'name', '王\u200B五')).toBeNull()
    expect(textProblemText(zhT, 'note', '第一行\n第二行')).toBeNull()
    expect(textProblemText(zhT, 'line', '第一行\n第二行')).toBe('不能换行')
  })
})
