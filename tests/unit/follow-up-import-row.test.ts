import { describe, expect, it } from 'vitest'
import { channelOfWord, checkFollowUpRow, readDateTime } from '@shared/domain/follow-up-import-row'
import { guessMapping, headerSignature, mappingProblem } from '@shared/domain/import-columns'

const HEADERS = ['客户电话', '客户编号', '客户姓名', '跟进时间', '跟进方式', '跟进内容', '跟进人', '下次跟进']
const MAPPING = guessMapping(HEADERS, 'followUps')
const NOW = '2026-11-25T02:00:00.000Z'
const staff = (name: string) => ({ 王芳: 7, wangfang: 7 })[name]
const row = (over: Partial<Record<(typeof HEADERS)[number], string>>) => {
  const base: Record<string, string> = { 客户电话: '13900000001', 客户编号: '', 客户姓名: '', 跟进时间: '2025-03-05 14:30', 跟进方式: '电话', 跟进内容: '约周六看房', 跟进人: '王芳', 下次跟进: '' }
  return HEADERS.map((h) => over[h] ?? base[h] ?? '')
}
const check = (over: Partial<Record<(typeof HEADERS)[number], string>>) => checkFollowUpRow(row(over), MAPPING, NOW, staff)

describe('follow-up sheet columns', () => {
  it('recognises the Chinese headers a branch writes, apart from a client list of the same headers', () => {
    expect(MAPPING).toEqual({ '0': 'clientPhone', '1': 'clientCode', '2': 'clientName', '3': 'followedAt', '4': 'channel', '5': 'content', '6': 'staff', '7': 'nextFollowUp' })
    expect(headerSignature(HEADERS, 'followUps')).not.toBe(headerSignature(HEADERS, 'clients'))
    expect(mappingProblem(MAPPING, 'followUps')).toBeNull()
    expect(mappingProblem({ '0': 'clientPhone', '1': 'followedAt', '2': 'content' }, 'followUps')).toEqual({ field: 'staff', reason: 'not_mapped' })
    expect(mappingProblem({ '0': 'followedAt', '1': 'content', '2': 'staff' }, 'followUps')).toEqual({ field: 'clientPhone', reason: 'not_mapped' })
    expect(mappingProblem({ '0': 'name', '1': 'followedAt' }, 'followUps')).toEqual({ field: 'name', reason: 'wrong_kind' })
    expect(mappingProblem({ '0': 'name', '1': 'phone', '2': 'content' }, 'clients')).toEqual({ field: 'content', reason: 'wrong_kind' })
  })

  it('reads the channel words and times as a branch writes them (Shanghai wall time, Excel serials)', () => {
    expect(['电话', '面谈', '微信', '带看', '短信', '备注', ' 看 房 '].map(channelOfWord)).toEqual(['phone', 'visit', 'wechat', 'viewing', 'sms', 'note', 'viewing'])
    expect(channelOfWord('飞鸽传书')).toBeNull()
    expect(readDateTime('2025-03-05 14:30')).toBe('2025-03-05T06:30:00.000Z')
    expect(readDateTime('2025/3/5 9:05:07')).toBe('2025-03-05T01:05:07.000Z')
    expect(readDateTime('2025年3月5日 14时30分')).toBe('2025-03-05T06:30:00.000Z')
    expect(readDateTime('2025-03-05')).toBe('2025-03-04T16:00:00.000Z')
    expect(readDateTime('45721.5')).toBe('2025-03-05T04:00:00.000Z')
    expect(readDateTime('2025-02-30')).toBeNull()
    expect(readDateTime('2025-03-05 25:00')).toBeNull()
    expect(readDateTime('上周三')).toBeNull()
  })
})

describe('a follow-up row', () => {
  it('turns a good row into what the import writes; a blank channel is a note, 下次跟进 a time or words', () => {
    expect(check({})).toEqual({
      ok: true,
      value: { client: { code: null, e164: '+8613900000001', name: null }, at: '2025-03-05T06:30:00.000Z', channel: 'phone', content: '约周六看房', staffId: 7, nextAction: null, nextDueAt: null },
    })
    const v = check({ 跟进方式: '', 客户编号: 'ky000012', 下次跟进: '2025-03-08' })
    expect(v.ok && [v.value.channel, v.value.client.code, v.value.nextDueAt]).toEqual(['note', 'KY000012', '2025-03-07T16:00:00.000Z'])
    const w = check({ 下次跟进: '周末再约', 跟进人: 'wangfang' })
    expect(w.ok && [w.value.nextAction, w.value.staffId]).toEqual(['周末再约', 7])
  })

  it('names the field and why for each bad cell', () => {
    const refusal = (over: Parameters<typeof check>[0]) => {
      const r = check(over)
      return r.ok ? null : [r.refusal.field, r.refusal.reason]
    }
    expect(refusal({ 客户电话: '' })).toEqual(['clientPhone', 'blank_client'])
    expect(refusal({ 客户电话: '1391234' })).toEqual(['clientPhone', 'phone_invalid'])
    expect(refusal({ 跟进时间: '' })).toEqual(['followedAt', 'not_a_date'])
    expect(refusal({ 跟进时间: '昨天' })).toEqual(['followedAt', 'not_a_date'])
    expect(refusal({ 跟进时间: '2026-11-25 10:01' })).toEqual(['followedAt', 'in_future'])
    expect(refusal({ 跟进时间: '1985-01-01' })).toEqual(['followedAt', 'before_1990'])
    expect(refusal({ 跟进方式: '飞鸽传书' })).toEqual(['channel', 'unknown_value'])
    expect(refusal({ 跟进内容: '   ' })).toEqual(['content', 'blank_content'])
    expect(refusal({ 跟进内容: '长'.repeat(2001) })).toEqual(['content', 'too_long'])
    expect(refusal({ 跟进人: '' })).toEqual(['staff', 'blank_staff'])
    expect(refusal({ 跟进人: '李雷' })).toEqual(['staff', 'unknown_staff'])
    expect(refusal({ 下次跟进: '很'.repeat(201) })).toEqual(['nextFollowUp', 'too_long'])
  })
})
