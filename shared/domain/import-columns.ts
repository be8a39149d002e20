import { z } from 'zod'
import { toHalfWidth } from './text-kinds'

/** The client fields an imported column can fill (the client contract's fields a branch keeps in a spreadsheet). */
export const ImportField = z.enum([
  'name',
  'phone',
  'phone2',
  'gender',
  'age',
  'birthDate',
  'sourceChannel',
  'tier',
  'stage',
  'demandType',
  'wealthTier',
  'region',
  'community',
  'address',
  'email',
  'nativePlace',
  'industry',
  'employer',
  'jobTitle',
  'budget',
  'note',
  'owner',
])
export type ImportField = z.infer<typeof ImportField>

/**
 * The columns of a follow-up history sheet: the client (by 客户编号, phone, or name), when, how,
 * what, who, and the next step written then.
 */
export const FollowUpImportField = z.enum(['clientCode', 'clientPhone', 'clientName', 'followedAt', 'channel', 'content', 'staff', 'nextFollowUp'])
export type FollowUpImportField = z.infer<typeof FollowUpImportField>

/** What a file holds: clients, or follow-up history of clients already in the book. */
export const ImportKind = z.enum(['clients', 'followUps'])
export type ImportKind = z.infer<typeof ImportKind>

/** A field of either kind of import (a mapping holds the fields of its own kind only: mappingProblem). */
export const AnyImportField = z.enum([...ImportField.options, ...FollowUpImportField.options])
export type AnyImportField = z.infer<typeof AnyImportField>

/** The fields an import of each kind can fill. */
export const FIELDS_OF_KIND: Record<ImportKind, readonly AnyImportField[]> = { clients: ImportField.options, followUps: FollowUpImportField.options }

/** Column index (0-based) -> the field it fills; a column left out is not imported. */
export const ColumnMapping = z.record(z.string().regex(/^\d{1,3}$/), AnyImportField)
export type ColumnMapping = z.infer<typeof ColumnMapping>

/**
 * The headers branches write for each field (compared after headerKey: no spaces, half width,
 * lower case, no `*` or bracketed unit such as 预算(万)).
 */
const HEADER_WORDS: Record<ImportField, readonly string[]> = {
  name: ['姓名', '客户姓名', '客户名称', '客户名', '名字', '客户', 'name', '联系人'],
  phone: ['电话', '手机', '手机号', '手机号码', '联系电话', '电话号码', '联系方式', '客户电话', '移动电话', 'phone', 'mobile', 'tel'],
  phone2: ['备用电话', '电话2', '手机2', '其他电话', '座机', '固定电话', '第二电话'],
  gender: ['性别', 'gender', 'sex'],
  age: ['年龄', 'age'],
  birthDate: ['生日', '出生日期', '出生年月日', 'birthday', 'birthdate'],
  sourceChannel: ['来源', '渠道', '客户来源', '来源渠道', '获客渠道', '客源渠道', 'source', 'channel'],
  tier: ['客户等级', '等级', '级别', '客户级别', 'tier'],
  stage: ['阶段', '客户阶段', '客户状态', '状态', 'stage'],
  demandType: ['需求类型', '购房目的', '置业目的', '需求'],
  wealthTier: ['消费能力', '购买力', '资产等级'],
  region: ['意向区域', '区域', '片区', '意向片区', 'region'],
  community: ['小区', '意向小区', '社区', '楼盘', '意向楼盘'],
  address: ['地址', '住址', '联系地址', '家庭住址', 'address'],
  email: ['邮箱', '电子邮件', '电子邮箱', 'email', 'e-mail'],
  nativePlace: ['籍贯'],
  industry: ['行业', '所属行业'],
  employer: ['单位', '工作单位', '公司'],
  jobTitle: ['职务', '职位'],
  budget: ['预算', '总价预算', '购房预算', '意向总价', 'budget'],
  note: ['备注', '说明', '备注信息', 'note', 'notes', 'remark'],
  owner: ['经纪人', '归属经纪人', '置业顾问', '负责人', '跟进人', '所属经纪人', '业务员', 'owner', 'agent'],
}

/** The headers of a follow-up sheet (客户电话 before 电话: a follow-up sheet's phone is the client's). */
const FOLLOW_UP_HEADER_WORDS: Record<FollowUpImportField, readonly string[]> = {
  clientCode: ['客户编号', '编号', '客户号', '客户代码', 'code', 'clientcode'],
  clientPhone: ['客户电话', '电话', '手机', '手机号', '手机号码', '联系电话', '电话号码', '联系方式', 'phone', 'mobile'],
  clientName: ['客户姓名', '客户名称', '客户名', '姓名', '客户', 'client', 'name'],
  followedAt: ['跟进时间', '跟进日期', '时间', '日期', '联系时间', '回访时间', 'time', 'date', 'followedat'],
  channel: ['跟进方式', '方式', '渠道', '跟进渠道', '联系方式类型', 'channel'],
  content: ['跟进内容', '内容', '跟进记录', '记录', '沟通内容', '情况', '跟进情况', 'content'],
  staff: ['跟进人', '经纪人', '员工', '置业顾问', '业务员', '跟进经纪人', 'staff', 'agent'],
  nextFollowUp: ['下次跟进', '下次跟进时间', '下次计划', '下一步', 'next'],
}

/** A header cell as compared: half width, lower case, without spaces, `*` marks or a bracketed unit. */
export function headerKey(text: string): string {
  return toHalfWidth(text)
    .replace(/\(.*?\)|\[.*?\]|（.*?）/g, '')
    .replace(/[\s*:：]/g, '')
    .toLowerCase()
}

function headerLookup<F extends AnyImportField>(words: Record<F, readonly string[]>): Map<string, F> {
  return new Map((Object.entries(words) as Array<[F, readonly string[]]>).flatMap(([f, ws]) => ws.map((w) => [headerKey(w), f] as const)))
}

const FIELD_OF_HEADER: Record<ImportKind, Map<string, AnyImportField>> = { clients: headerLookup(HEADER_WORDS), followUps: headerLookup(FOLLOW_UP_HEADER_WORDS) }

/** The field a header names in an import of `kind`, or null when it names none that import knows. */
export function fieldOfHeader(text: string, kind: ImportKind = 'clients'): AnyImportField | null {
  return FIELD_OF_HEADER[kind].get(headerKey(text)) ?? null
}

/**
 * The mapping guessed from a header row: each known header to its field, the first column of a
 * field winning (a second phone column of a client list fills phone2).
 */
export function guessMapping(headers: readonly string[], kind: ImportKind = 'clients'): ColumnMapping {
  const out: ColumnMapping = {}
  const taken = new Set<AnyImportField>()
  headers.forEach((h, i) => {
    let f = fieldOfHeader(h, kind)
    if (f === 'phone' && taken.has('phone')) f = 'phone2'
    if (f && !taken.has(f)) {
      out[String(i)] = f
      taken.add(f)
    }
  })
  return out
}

/**
 * The signature of a file layout: its header keys in order (a mapping is remembered per
 * signature); a follow-up sheet's apart from a client list's of the same headers.
 */
export function headerSignature(headers: readonly string[], kind: ImportKind = 'clients'): string {
  return `${kind === 'clients' ? '' : `${kind}:`}${headers.map(headerKey).join('|')}`.slice(0, 2000)
}

/** The fields an import of each kind cannot do without (a follow-up sheet also needs one client column). */
const REQUIRED: Record<ImportKind, readonly AnyImportField[]> = { clients: ['name', 'phone'], followUps: ['followedAt', 'content', 'staff'] }

/**
 * The mapping's problem as a whole: a field of the other kind of import, a field mapped twice, a
 * required field not mapped (a follow-up sheet: 客户编号, 客户电话 or 客户姓名 to find the client).
 */
export function mappingProblem(mapping: ColumnMapping, kind: ImportKind = 'clients'): { field: AnyImportField; reason: 'mapped_twice' | 'not_mapped' | 'wrong_kind' } | null {
  const seen = new Set<AnyImportField>()
  for (const f of Object.values(mapping)) {
    if (!FIELDS_OF_KIND[kind].includes(f)) return { field: f, reason: 'wrong_kind' }
    if (seen.has(f)) return { field: f, reason: 'mapped_twice' }
    seen.add(f)
  }
  if (kind === 'followUps' && !seen.has('clientCode') && !seen.has('clientPhone') && !seen.has('clientName')) return { field: 'clientPhone', reason: 'not_mapped' }
  for (const f of REQUIRED[kind]) if (!seen.has(f)) return { field: f, reason: 'not_mapped' }
  return null
}
