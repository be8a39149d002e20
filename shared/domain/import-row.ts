import { birthDateProblem } from './birthdays'
import { normalizeClientPhone, type NormalizedPhone } from './client-phone'
import type { DemandType as DemandTypeEnum, Gender as GenderEnum, SourceChannel, Stage, Tier, WealthTier as WealthTierEnum } from './client-enums'
import type { AnyImportField, ColumnMapping, ImportField } from './import-columns'
import { normalizeText, textProblem, type TextKind } from './text-kinds'

type Gender = ReturnType<typeof GenderEnum.parse>
type DemandType = ReturnType<typeof DemandTypeEnum.parse>
type WealthTier = ReturnType<typeof WealthTierEnum.parse>

/** A row's values as the import writes them. */
export interface ImportedClient {
  name: string
  phones: NormalizedPhone[]
  gender: Gender | null
  age: number | null
  birthDate: string | null
  sourceChannel: SourceChannel
  tier: Tier
  stage: Stage
  demandType: DemandType | null
  wealthTier: WealthTier | null
  region: string | null
  community: string | null
  address: string | null
  email: string | null
  nativePlace: string | null
  industry: string | null
  employer: string | null
  jobTitle: string | null
  /** 预算 in yuan (the client has no budget column: it stays with the original row and in the note) */
  budgetYuan: number | null
  note: string | null
  /** the owner agent named by the row (resolved by the host), null when the row names none */
  ownerId: number | null
}

/** Why a row is refused; each has zh and en text in the renderer (import.reason.<reason>). */
export type RowReason =
  | 'blank_name'
  | 'blank_phone'
  | 'phone_chars'
  | 'phone_invalid'
  | 'phone_repeated'
  | 'unknown_value'
  | 'out_of_range'
  | 'not_a_date'
  | 'in_future'
  | 'too_early'
  | 'too_long'
  | 'bad_text'
  | 'unknown_owner'
  | 'duplicate_in_file'

export interface RowRefusal {
  field: ImportField
  reason: RowReason
  params?: Record<string, string | number>
}

export type RowCheck = { ok: true; value: ImportedClient } | { ok: false; refusal: RowRefusal }

/** The words a branch writes for each enum value (compared lower case, half width, without spaces). */
const ENUM_WORDS = {
  gender: { male: ['男', '男性', '先生', 'm', 'male'], female: ['女', '女性', '女士', 'f', 'female'] },
  sourceChannel: {
    walk_in: ['上门', '到访', '来访', '自然到访', '门店', 'walk_in', 'walkin'],
    phone: ['电话', '来电', '电话咨询', 'phone'],
    referral: ['转介', '转介绍', '介绍', '老带新', '老客户介绍', 'referral'],
    anjuke: ['安居客', '58同城', '58', 'anjuke'],
    douyin: ['抖音', '短视频', 'douyin'],
    website: ['网站', '官网', '网络', '网上', 'website', 'web'],
    wechat: ['微信', '公众号', '朋友圈', 'wechat'],
    community: ['社区', '地推', '派单', '社区活动', 'community'],
    other: ['其他', '其它', 'other'],
  },
  tier: { vip: ['vip', '贵宾'], key: ['重点', '重点客户', 'a', 'key'], normal: ['普通', '普通客户', 'b', 'normal'], potential: ['潜在', '潜在客户', 'c', 'potential'] },
  stage: {
    potential: ['潜在', 'potential'],
    intent: ['意向', 'intent'],
    negotiating: ['谈判', '洽谈', 'negotiating'],
    closed: ['成交', '已成交', 'closed'],
    repeat: ['复购', '转介', '复购转介', 'repeat'],
    lost: ['流失', '已流失', 'lost'],
  },
  demandType: { rigid: ['刚需', '首置', 'rigid'], improve: ['改善', '改善型', 'improve'], invest: ['投资', 'invest'] },
  wealthTier: { high: ['高', '高端', 'high'], middle: ['中', '中端', 'middle'], budget: ['低', '经济', '经济型', 'budget'] },
} as const

type EnumField = keyof typeof ENUM_WORDS

function wordKey(s: string): string {
  return normalizeText('query', s).replace(/\s/g, '').toLowerCase()
}

/** Each enum field's words by wordKey, built once. */
const ENUM_LOOKUP = Object.fromEntries(
  (Object.entries(ENUM_WORDS) as Array<[EnumField, Record<string, readonly string[]>]>).map(([field, values]) => [
    field,
    new Map(Object.entries(values).flatMap(([value, words]) => words.map((w) => [wordKey(w), value] as const))),
  ]),
) as Record<EnumField, Map<string, string>>

/** wordKey of the cells met so far: an enum column repeats a handful of words over every row of a sheet. */
const WORD_KEYS = new Map<string, string>()
/** A cell longer than this is no enum word: not remembered. */
const WORD_KEY_MAX_CELL = 40
/** Distinct cells remembered at most (then forgotten at once): a few hundred in a real sheet. */
const WORD_KEYS_MAX = 10_000

function cellWordKey(text: string): string {
  if (text.length > WORD_KEY_MAX_CELL) return wordKey(text)
  let key = WORD_KEYS.get(text)
  if (key === undefined) {
    if (WORD_KEYS.size >= WORD_KEYS_MAX) WORD_KEYS.clear()
    key = wordKey(text)
    WORD_KEYS.set(text, key)
  }
  return key
}

function enumValue(field: EnumField, text: string): string | null {
  return ENUM_LOOKUP[field].get(cellWordKey(text)) ?? null
}

/** Excel's day 0 (its serial dates count from 1899-12-30, the 1900 leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)

/**
 * A date cell as YYYY-MM-DD: the ISO form the reader writes for a date cell, 2024/3/5, 2024.3.5,
 * 2024年3月5日, or an Excel serial number (a date column saved as numbers). Null: not a date.
 */
export function readDate(text: string): string | null {
  const t = text.trim()
  if (/^\d{4,5}(\.\d+)?$/.test(t)) {
    const serial = Math.floor(Number(t))
    if (serial < 1 || serial > 2_958_465) return null
    return new Date(EXCEL_EPOCH_MS + serial * 86_400_000).toISOString().slice(0, 10)
  }
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(t)
  if (!m) return null
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
}

/** 预算 as written: 300万, 300 (read as 万 below 100,000), 3000000 or 3,000,000 元; null when it is no amount. */
export function readBudgetYuan(text: string): number | null {
  const t = normalizeText('query', text).replace(/[,\s]/g, '').replace(/(元|rmb|¥|￥)/gi, '')
  const m = /^(\d+(?:\.\d+)?)(万|w)?$/i.exec(t)
  if (!m) return null
  const n = Number(m[1])
  return Math.round(m[2] || n < 100_000 ? n * 10_000 : n)
}

/** A budget from 1万 to 10亿 yuan is one a branch would record. */
const BUDGET_RANGE = [10_000, 1_000_000_000] as const

/** Text columns: their text kind and longest length, as the client contract takes them. */
const TEXT_FIELDS: Partial<Record<ImportField, [TextKind, number]>> = {
  name: ['name', 80],
  region: ['line', 40],
  community: ['line', 60],
  address: ['line', 200],
  email: ['code', 120],
  nativePlace: ['line', 40],
  industry: ['line', 40],
  employer: ['name', 80],
  jobTitle: ['line', 40],
  note: ['note', 500],
}

/**
 * Checks one data row against the mapping and turns it into the values the import writes, or
 * names the first field at fault and why. `ownerIdOf` finds an agent by the name in the 经纪人
 * column (undefined: nobody by that name). Duplicates inside the file and against the book are the
 * caller's (they need what came before).
 */
export function checkImportRow(cells: readonly string[], mapping: ColumnMapping, today: string, ownerIdOf: (name: string) => number | undefined): RowCheck {
  const raw = new Map<AnyImportField, string>()
  for (const [col, f] of Object.entries(mapping)) raw.set(f, (cells[Number(col)] ?? '').trim())
  const refuse = (field: ImportField, reason: RowReason, params?: Record<string, string | number>): RowCheck => ({ ok: false, refusal: { field, reason, ...(params ? { params } : {}) } })

  const texts = new Map<ImportField, string | null>()
  for (const [f, [kind, max]] of Object.entries(TEXT_FIELDS) as Array<[ImportField, [TextKind, number]]>) {
    const cell = raw.get(f) ?? ''
    // a blank or unmapped column: nothing to fold or check (most of a sheet's text columns)
    if (cell === '') {
      texts.set(f, null)
      continue
    }
    const value = normalizeText(kind, cell)
    const problem = textProblem(kind, value)
    if (problem) return refuse(f, 'bad_text', { char: problem.char })
    if (value.length > max) return refuse(f, 'too_long', { maximum: max })
    texts.set(f, value || null)
  }
  const name = texts.get('name')
  if (!name) return refuse('name', 'blank_name')

  const phones: NormalizedPhone[] = []
  for (const f of ['phone', 'phone2'] as const) {
    const text = raw.get(f) ?? ''
    if (!text) {
      if (f === 'phone') return refuse(f, 'blank_phone')
      continue
    }
    const p = normalizeClientPhone(text)
    if (!p.ok) return refuse(f, p.reason, { value: text.slice(0, 40) })
    if (phones.some((q) => q.e164 === p.phone.e164)) return refuse(f, 'phone_repeated')
    phones.push(p.phone)
  }

  const enums: Partial<Record<EnumField, string | null>> = {}
  for (const f of Object.keys(ENUM_WORDS) as EnumField[]) {
    const text = raw.get(f) ?? ''
    if (!text) {
      enums[f] = null
      continue
    }
    const v = enumValue(f, text)
    if (v === null) return refuse(f, 'unknown_value', { value: text.slice(0, 40) })
    enums[f] = v
  }

  let age: number | null = null
  const ageText = raw.get('age') ?? ''
  if (ageText) {
    age = Number(normalizeText('query', ageText).replace(/岁$/, ''))
    if (!Number.isInteger(age) || age < 0 || age > 120) return refuse('age', 'out_of_range', { minimum: 0, maximum: 120 })
  }

  let birthDate: string | null = null
  const dateText = raw.get('birthDate') ?? ''
  if (dateText) {
    birthDate = readDate(dateText)
    const problem = birthDate ? birthDateProblem(birthDate, today) : 'not_a_date'
    if (problem) return refuse('birthDate', problem, { value: dateText.slice(0, 40) })
  }

  let budgetYuan: number | null = null
  const budgetText = raw.get('budget') ?? ''
  if (budgetText) {
    budgetYuan = readBudgetYuan(budgetText)
    if (budgetYuan === null) return refuse('budget', 'unknown_value', { value: budgetText.slice(0, 40) })
    if (budgetYuan < BUDGET_RANGE[0] || budgetYuan > BUDGET_RANGE[1]) return refuse('budget', 'out_of_range', { minimum: BUDGET_RANGE[0], maximum: BUDGET_RANGE[1] })
  }

  let ownerId: number | null = null
  const ownerText = normalizeText('name', raw.get('owner') ?? '')
  if (ownerText) {
    const id = ownerIdOf(ownerText)
    if (id === undefined) return refuse('owner', 'unknown_owner', { value: ownerText.slice(0, 40) })
    ownerId = id
  }

  return {
    ok: true,
    value: {
      name,
      phones,
      gender: (enums.gender ?? null) as Gender | null,
      age,
      birthDate,
      sourceChannel: (enums.sourceChannel ?? 'other') as SourceChannel,
      tier: (enums.tier ?? 'potential') as Tier,
      stage: (enums.stage ?? 'potential') as Stage,
      demandType: (enums.demandType ?? null) as DemandType | null,
      wealthTier: (enums.wealthTier ?? null) as WealthTier | null,
      region: texts.get('region') ?? null,
      community: texts.get('community') ?? null,
      address: texts.get('address') ?? null,
      email: texts.get('email') ?? null,
      nativePlace: texts.get('nativePlace') ?? null,
      industry: texts.get('industry') ?? null,
      employer: texts.get('employer') ?? null,
      jobTitle: texts.get('jobTitle') ?? null,
      budgetYuan,
      note: texts.get('note') ?? null,
      ownerId,
    },
  }
}
