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

/** Column index (0-based) -> the field it fills; a column left out is not imported. */
export const ColumnMapping = z.record(z.string().regex(/^\d{1,3}$/), ImportField)
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

/** A header cell as compared: half width, lower case, without spaces, `*` marks or a bracketed unit. */
export function headerKey(text: string): string {
  return toHalfWidth(text)
    .replace(/\(.*?\)|\[.*?\]|（.*?）/g, '')
    .replace(/[\s*:：]/g, '')
    .toLowerCase()
}

const FIELD_OF_HEADER = new Map<string, ImportField>(
  (Object.entries(HEADER_WORDS) as Array<[ImportField, readonly string[]]>).flatMap(([f, words]) => words.map((w) => [headerKey(w), f] as const)),
)

/** The field a header names, or null when it names none the import knows. */
export function fieldOfHeader(text: string): ImportField | null {
  return FIELD_OF_HEADER.get(headerKey(text)) ?? null
}

/**
 * The mapping guessed from a header row: each known header to its field, the first column of a
 * field winning (a second phone column fills phone2).
 */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const out: ColumnMapping = {}
  const taken = new Set<ImportField>()
  headers.forEach((h, i) => {
    let f = fieldOfHeader(h)
    if (f === 'phone' && taken.has('phone')) f = 'phone2'
    if (f && !taken.has(f)) {
      out[String(i)] = f
      taken.add(f)
    }
  })
  return out
}

/** The signature of a file layout: its header keys in order (a mapping is remembered per signature). */
export function headerSignature(headers: readonly string[]): string {
  return headers.map(headerKey).join('|').slice(0, 2000)
}

/** The mapping's problem as a whole: a field mapped twice, or name or phone not mapped. */
export function mappingProblem(mapping: ColumnMapping): { field: ImportField; reason: 'mapped_twice' | 'not_mapped' } | null {
  const seen = new Set<ImportField>()
  for (const f of Object.values(mapping)) {
    if (seen.has(f)) return { field: f, reason: 'mapped_twice' }
    seen.add(f)
  }
  for (const f of ['name', 'phone'] as const) if (!seen.has(f)) return { field: f, reason: 'not_mapped' }
  return null
}
