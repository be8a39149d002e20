import { describe, expect, it } from 'vitest'
import { HOST_TEXT_KEYS, hostTextAbout, hostTextOf, NAMES_SEPARATOR, type HostTextKey } from '@shared/domain/host-text-keys'
import { hostTextsEn } from '../../renderer/src/i18n/host-texts.en'
import { hostTextsZh } from '../../renderer/src/i18n/host-texts.zh'
import { en } from '../../renderer/src/i18n/en'
import { zh } from '../../renderer/src/i18n/zh'
import { enText, zhText } from '../helpers/host-text'

const placeholders = (words: string) => [...new Set([...words.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))].sort()
const KEYS = Object.keys(HOST_TEXT_KEYS) as HostTextKey[]
const CJK = /[\u3400-\u9fff]/

describe('every text the host sends has zh and en words', () => {
  it.each([
    ['zh', hostTextsZh],
    ['en', hostTextsEn],
  ] as const)('%s: one entry per registry key, using exactly its parameters', (_lang, words) => {
    expect(Object.keys(words).sort()).toEqual([...KEYS].sort())
    for (const k of KEYS) expect(placeholders(words[k]), k).toEqual([...HOST_TEXT_KEYS[k]].sort())
  })

  it('the English words are English (no Chinese left in them)', () => {
    for (const k of KEYS) expect(CJK.test(hostTextsEn[k]), k).toBe(false)
  })

  it('zh.ts and en.ts carry them under hostText', () => {
    expect(zh.hostText).toEqual(hostTextsZh)
    expect(en.hostText).toEqual(hostTextsEn)
  })
})

describe('hostText words a host text', () => {
  it('with its parameters, in either language', () => {
    expect(zhText(hostTextOf('task.needs'))).toBe('建档并确认需求')
    expect(enText(hostTextOf('task.needs'))).toBe('Record the profile and the needs')
    expect(zhText(hostTextOf('notice.visitClient', { client: '张伟', code: 'KY000001', desk: '前台甲' }))).toBe('张伟（KY000001）已到店，前台：前台甲')
  })

  it('what a person typed stays as they typed it', () => {
    expect(enText(hostTextOf('task.next', { action: '约周六看房' }))).toBe('约周六看房')
    expect(enText(hostTextOf('points.typed', { reason: '<b>活动补录</b>' }))).toBe('<b>活动补录</b>')
  })

  it('ofKey as the text it names, with the same parameters', () => {
    const escalated = hostTextAbout('task.escalation', { agent: '李四' }, hostTextOf('task.next', { action: '回电' }))
    expect(zhText(escalated)).toBe('逾期未处理：回电（李四）')
    expect(enText(hostTextAbout('notice.changeDecidedOnUnitComment', { unit: '1号楼-401', by: '王店长', comment: '太多' }, hostTextOf('change.discount')))).toBe(
      'Discount · 1号楼-401. 王店长: 太多',
    )
  })

  it('names as the language lists them', () => {
    const names = ['张三', '李四', '王五'].join(NAMES_SEPARATOR)
    expect(zhText(hostTextOf('notice.pooledClientsMore', { names, count: 7 }))).toBe('张三、李四和王五 等 7 位客户')
    expect(enText(hostTextOf('notice.pooledClients', { names }))).toBe('张三, 李四, and 王五')
  })

  it('old stored words as they were, and a key this renderer does not know by its parameters', () => {
    expect(enText({ key: 'legacy', params: { text: '旧的标题' } })).toBe('旧的标题')
    expect(enText({ key: 'task.fromTheFuture', params: { client: '张伟' } })).toBe('张伟')
  })
})
