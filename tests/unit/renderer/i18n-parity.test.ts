import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from '@shared/domain/rules'
import { en } from '../../../renderer/src/i18n/en'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { lostReasonOptions, lostReasonText } from '../../../renderer/src/i18n/shipped-words'
import { zh } from '../../../renderer/src/i18n/zh'
import { enText, zhText } from '../../helpers/host-text'
import { textsIn } from './i18n-fixture'

/** Every text of a resource tree as [dotted key, text]. */
function leaves(node: unknown, prefix = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[prefix, node]]
  if (typeof node !== 'object' || node === null) throw new Error(`${prefix}: neither a text nor a group`)
  return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort()
// Chinese, Japanese and Korean characters, CJK punctuation (，。：（）【】) and full-width forms
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/
// the one English text that must be in Chinese: the language switch names Chinese in Chinese
const CHINESE_ON_PURPOSE = new Set(['language.zh'])

const zhTexts = new Map(leaves(zh))
const enTexts = new Map(leaves(en))

describe('the zh and en texts (i18n/zh.ts, en.ts and every feature texts file) have the same keys', () => {
  it('every zh key has an en text, and every en key a zh text', () => {
    expect([...zhTexts.keys()].filter((k) => !enTexts.has(k))).toEqual([])
    expect([...enTexts.keys()].filter((k) => !zhTexts.has(k))).toEqual([])
    expect(zhTexts.size).toBeGreaterThan(1000)
  })

  it('a text is empty in both languages or in neither (some say nothing on purpose), and each uses the same {{parameters}}', () => {
    const emptyInOne = [...zhTexts].filter(([k, z]) => (z.trim() === '') !== ((enTexts.get(k) ?? '').trim() === '')).map(([k]) => k)
    expect(emptyInOne).toEqual([])
    const otherParams = [...zhTexts].filter(([k, z]) => placeholders(z).join() !== placeholders(enTexts.get(k) ?? '').join()).map(([k]) => k)
    expect(otherParams).toEqual([])
  })

  it('no English text holds a Chinese character, bracket or punctuation mark', () => {
    const chinese = [...enTexts].filter(([k, e]) => !CHINESE_ON_PURPOSE.has(k) && CJK.test(e))
    expect(chinese).toEqual([])
  })
})

describe('counts', () => {
  it('say one unit in English, and units for more', async () => {
    const enT = await textsIn('en')
    expect([enT('board.units', { count: 1 }), enT('board.units', { count: 3 }), enT('board.legend.count', { count: 1 })]).toEqual(['1 unit', '3 units', '1 unit'])
    expect((await textsIn('zh'))('board.units', { count: 1 })).toBe('1 套')
  })
})

describe('the lost reasons a branch starts with', () => {
  it('each has zh and en words; one the branch typed shows as typed', async () => {
    const [zhT, enT] = [await textsIn('zh'), await textsIn('en')]
    for (const r of DEFAULT_RULES.lostReasons) {
      expect(lostReasonText(zhT, r)).toBe(r)
      expect(CJK.test(lostReasonText(enT, r)), r).toBe(false)
    }
    expect(lostReasonText(enT, '预算不足')).toBe('Budget too low')
    expect(lostReasonText(enT, '房东涨价')).toBe('房东涨价')
    expect(lostReasonOptions(enT, ['其他'])).toEqual([{ value: '其他', label: 'Other' }])
  })

  it('a follow-up that marked a client lost names the reason in the UI language', () => {
    expect(enText(hostTextOf('followup.lost', { reason: '长期联系不上' }))).toBe('Marked lost: Unreachable for a long time. ')
    expect(zhText(hostTextOf('followup.lost', { reason: '长期联系不上' }))).toBe('流失：长期联系不上。')
    expect(enText(hostTextOf('followup.lost', { reason: '房东涨价' }))).toBe('Marked lost: 房东涨价. ')
  })
})
