import type { TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { ClientCreateInput, type ClientProfile, type SearchHit } from '@shared/contract/clients'
import { RequirementData } from '@shared/contract/needs'
import { changedFields, formValuesOf, phonesInput, profileInput, type ClientFormValues } from '../../../renderer/src/features/clients/client-form-values'
import { compactFilter, hasFilter, readHiddenColumns, readViews, roundedTotal, toSort } from '../../../renderer/src/features/clients/client-list-model'
import { clientSearchQuery, IDLE_SEARCH, searchAnswered, searchTyped } from '../../../renderer/src/features/clients/client-search-state'
import { needFormValues, needInput, needSummary, type NeedFormValues } from '../../../renderer/src/features/clients/need-values'
import { editsToKeep, staleNotice } from '../../../renderer/src/features/clients/stale-edit'
import { textsIn } from './i18n-fixture'

let zhT: TFunction
let enT: TFunction
beforeAll(async () => {
  zhT = await textsIn('zh')
  enT = await textsIn('en')
})

/** A stored person client with a few fields filled in, as clients.get returns it. */
function profile(over: Partial<ClientProfile> = {}): ClientProfile {
  return {
    id: 7,
    code: 'C0007',
    kind: 'person',
    name: '王五',
    phone: '139****5678',
    tier: 'key',
    stage: 'intent',
    owner: { id: 2, name: '陈经纪', phone: null },
    region: '浦东',
    community: null,
    sourceChannel: 'walk_in',
    demandType: 'improve',
    lastFollowUpAt: null,
    protectedUntil: null,
    completeness: 40,
    blacklisted: false,
    blacklistReason: null,
    createdAt: '2026-11-01T02:00:00.000Z',
    access: 'full',
    collaborator: false,
    version: 3,
    phones: [{ id: 1, display: '13912345678', kind: 'mobile', label: '本人', masked: false }],
    gender: 'male',
    age: 41,
    birthDate: null,
    idNumber: null,
    nativePlace: null,
    address: null,
    fax: null,
    email: null,
    householdSize: 3,
    children: [{ age: 9, schooling: 'primary' }],
    industry: null,
    employer: null,
    jobTitle: null,
    education: null,
    org: null,
    wealthTier: null,
    purchaseHorizon: 'near',
    entrustedOther: false,
    entrustedAgencies: null,
    manualTags: ['学区'],
    behaviourTags: [],
    missingFields: [],
    createdBy: 2,
    updatedAt: '2026-11-20T02:00:00.000Z',
    lostReason: null,
    lostAt: null,
    ...over,
  }
}

describe('the client form’s values as the API takes them', () => {
  it('trims, empties to null, defaults tier, stage and source, and is accepted by the create contract', () => {
    const v: ClientFormValues = {
      kind: 'person',
      name: '  赵六 ',
      phones: [{ number: ' 139 1234 5678 ', label: '' }, { number: '   ' }],
      region: ' ',
      community: ' 锦绣华城 ',
      email: '',
      children: [{ age: 5, schooling: 'kindergarten' }, { age: 3 }],
      manualTags: [' 学区 ', '', '地铁'],
      entrustedOther: false,
      entrustedAgencies: '链家',
    }
    const p = profileInput(v)
    expect(p).toMatchObject({
      name: '赵六',
      sourceChannel: 'other',
      tier: 'potential',
      stage: 'potential',
      region: null,
      community: '锦绣华城',
      email: null,
      children: [{ age: 5, schooling: 'kindergarten' }],
      manualTags: ['学区', '地铁'],
      entrustedOther: false,
      entrustedAgencies: null,
      org: null,
    })
    expect(phonesInput(v)).toEqual([{ number: '139 1234 5678', label: null }])
    expect(ClientCreateInput.safeParse({ kind: v.kind, phones: phonesInput(v), ...p }).success).toBe(true)
  })

  it('drops person-only fields from an organisation and keeps its own', () => {
    const p = profileInput({ kind: 'org', name: '锦华贸易', gender: 'male', age: 30, employer: 'x', org: { legalRep: ' 钱七 ', term: '' }, sourceChannel: 'phone' })
    expect(p).toMatchObject({ gender: null, age: null, employer: null, children: [] })
    expect(p.org).toEqual({ officeAddress: null, businessScope: null, businessArea: null, legalRep: '钱七', term: null, contactName: null })
    expect(ClientCreateInput.safeParse({ kind: 'org', phones: [{ number: '021-6123 4567' }], ...p }).success).toBe(true)
  })

  it('reads a stored profile back without inventing changes', () => {
    const stored = profile()
    const again = profileInput(formValuesOf(stored))
    expect(changedFields(again, again)).toEqual([])
    expect(changedFields(again, profileInput({ ...formValuesOf(stored), tier: 'vip', manualTags: ['学区', '地铁'] }))).toEqual(['tier', 'manualTags'])
    expect(phonesInput(formValuesOf(stored))).toEqual([{ number: '13912345678', label: '本人' }])
  })
})

describe('a save that someone else’s save overtook (STALE_WRITE)', () => {
  it('names who changed what, or says the fields are unknown', () => {
    expect(staleNotice(zhT, { code: 'STALE_WRITE', message: 'x', params: { by: '李经纪', changed: 'tier,phones' } })).toEqual({ by: '李经纪', fields: ['tier', 'phones'] })
    expect(staleNotice(zhT, { code: 'STALE_WRITE', message: 'x' })).toEqual({ by: '', fields: ['电话'] })
  })

  it('keeps the user’s own edits the other save did not touch', () => {
    const base = profile()
    const mine: ClientFormValues = { ...formValuesOf(base), tier: 'vip', region: '徐汇', org: undefined, children: [] }
    expect(editsToKeep(base, mine, ['region'])).toEqual({ tier: 'vip', children: [] })
    expect(editsToKeep(base, mine, ['children.0.age', 'tier'])).toEqual({ region: '徐汇' })
  })
})

describe('a requirement', () => {
  const form: NeedFormValues = {
    kind: 'residential',
    regions: [' 浦东 ', '', '徐汇'],
    propertyType: 'apartment',
    areaMin: 89.5,
    areaMax: 120,
    bedroomsMin: 3,
    totalPriceMin: 300,
    totalPriceMax: 500.5,
    unitPriceMax: 60000,
    parking: 'yes',
    payment: 'full',
    loanType: 'provident',
    mortgageRatio: 60,
    amenities: ['metro', 'school'],
    grade: 'A',
    facilities: '中央空调',
    note: ' ',
  }

  it('goes to the API in stored units (0.01 m², fen), loan details only with a loan, office details only for commercial', () => {
    const d = needInput(form)
    expect(d).toMatchObject({
      regions: ['浦东', '徐汇'],
      areaMin: 8950,
      areaMax: 12000,
      totalPriceMin: 300_000_000,
      totalPriceMax: 500_500_000,
      unitPriceMax: 6_000_000,
      parking: true,
      loanType: null,
      mortgageRatio: null,
      grade: null,
      facilities: null,
      note: null,
      amenities: { school: true, metro: true },
    })
    expect(RequirementData.safeParse(d).success).toBe(true)
    expect(needInput({ ...form, payment: 'loan' })).toMatchObject({ loanType: 'provident', mortgageRatio: 60 })
    expect(needInput({ ...form, kind: 'commercial' })).toMatchObject({ grade: 'A', facilities: '中央空调' })
  })

  it('comes back to the form in the units it was typed in', () => {
    const back = needFormValues(needInput(form))
    expect(back).toMatchObject({ areaMin: 89.5, totalPriceMax: 500.5, unitPriceMax: 60000, parking: 'yes', amenities: ['school', 'metro'] })
    expect(needFormValues({})).toMatchObject({ kind: 'residential', regions: [], parking: null })
  })

  it('reads aloud as one line per part, in each language', () => {
    const d = needInput({ ...form, payment: 'loan', mortgageRatio: 60 })
    expect(needSummary(zhT, 'zh', d)).toEqual([
      '住宅',
      '普通住宅',
      '浦东、徐汇',
      '面积 89.5 – 120 m²',
      '卧室 3室以上',
      '总价 300 – 500.5万元',
      '单价 60,000元/m²以内',
      '需要车位',
      '贷款',
      '公积金贷款',
      '贷款比例 60%',
      '学区、地铁',
    ])
    const english = needSummary(enT, 'en', d)
    expect(english).toContain('Area 89.5 – 120 m²')
    // a sum in 万 reads as on the board: N × ¥10k
    expect(english).toContain('Total price 300 – 500.5 × ¥10k')
    // the regions are the branch's data; every other word is English
    expect(english).toContain('浦东, 徐汇')
    for (const line of english.filter((l) => l !== '浦东, 徐汇')) expect(line).not.toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('client list views and search state', () => {
  it('keeps saved views it can read, sorts only by what the host sorts, and drops empty filters', () => {
    expect(readViews('not a list')).toEqual([])
    expect(readViews([{ name: 'x', view: 'nonsense', filter: {}, sort: { field: 'phone', dir: 'desc' } }])).toEqual([{ name: 'x', view: 'all', filter: {}, sort: null }])
    expect(readHiddenColumns({ hidden: ['community', 3] })).toEqual(['community'])
    expect(readHiddenColumns(null)).toBeNull()
    expect(toSort([{ colId: 'createdAt', sort: 'desc' }])).toEqual({ field: 'createdAt', dir: 'desc' })
    expect(toSort([{ colId: 'phone', sort: 'asc' }])).toBeUndefined()
    expect(compactFilter({ tier: [], region: '', stage: ['intent'], unowned: undefined })).toEqual({ stage: ['intent'] })
    expect(hasFilter({ tier: [] })).toBe(false)
    expect(hasFilter({ blacklisted: false })).toBe(true)
  })

  it('asks the host about trimmed text of at most 40 characters, and nothing about blanks', () => {
    expect(clientSearchQuery('  zhang ')).toBe('zhang')
    expect(clientSearchQuery('   ')).toBe('')
    expect(clientSearchQuery('x'.repeat(60))).toHaveLength(40)
  })

  it('shows the last hits while the next text is on its way and after a failure, none when the text is gone', () => {
    const hit = { id: 1, code: 'C0001', kind: 'person', name: '张伟', phone: null, tier: 'vip', owner: null, blacklisted: false, blacklistReason: null, protectedUntil: null, matchedOn: 'name', rank: 'exact' } satisfies SearchHit
    const done = searchAnswered(searchTyped(IDLE_SEARCH, 'zh'), { ok: true, value: { hits: [hit], total: 37, totalExact: true } })
    expect(done).toEqual({ status: 'done', hits: [hit], error: null, total: 37, totalExact: true })
    expect(searchTyped(done, 'zhang')).toEqual({ status: 'searching', hits: [hit], error: null, total: 37, totalExact: true })
    const failed = searchAnswered(searchTyped(done, 'zhang'), { ok: false, error: { code: 'OFFLINE', message: 'x' } })
    expect(failed).toEqual({ status: 'failed', hits: [hit], error: { code: 'OFFLINE', message: 'x' }, total: 37, totalExact: true })
    expect(searchTyped(failed, '')).toBe(IDLE_SEARCH)
  })

  it('says a large total the host only estimated with two significant digits (约 2,200)', () => {
    expect(roundedTotal(2_187, false)).toBe(2_200)
    expect(roundedTotal(100_000, false)).toBe(100_000)
    expect(roundedTotal(14_321, false)).toBe(14_000)
    expect(roundedTotal(2_187, true)).toBe(2_187)
    expect(roundedTotal(87, false)).toBe(87)
  })
})
