import { PassThrough } from 'node:stream'
import type { AnyImportField } from '@shared/domain/import-columns'

/** Field names as the workbook's reason column writes them (zh, en). */
const FIELD_TEXT: Record<AnyImportField, [string, string]> = {
  name: ['姓名', 'name'],
  phone: ['电话', 'phone'],
  phone2: ['备用电话', 'second phone'],
  gender: ['性别', 'gender'],
  age: ['年龄', 'age'],
  birthDate: ['生日', 'birth date'],
  sourceChannel: ['来源', 'source'],
  tier: ['客户等级', 'tier'],
  stage: ['阶段', 'stage'],
  demandType: ['需求类型', 'demand type'],
  wealthTier: ['消费能力', 'wealth tier'],
  region: ['意向区域', 'region'],
  community: ['小区', 'community'],
  address: ['地址', 'address'],
  email: ['邮箱', 'e-mail'],
  nativePlace: ['籍贯', 'native place'],
  industry: ['行业', 'industry'],
  employer: ['单位', 'employer'],
  jobTitle: ['职务', 'job title'],
  budget: ['预算', 'budget'],
  note: ['备注', 'note'],
  owner: ['经纪人', 'agent'],
  clientCode: ['客户编号', 'client number'],
  clientPhone: ['客户电话', 'client phone'],
  clientName: ['客户姓名', 'client name'],
  followedAt: ['跟进时间', 'time'],
  channel: ['跟进方式', 'channel'],
  content: ['跟进内容', 'content'],
  staff: ['跟进人', 'followed up by'],
  nextFollowUp: ['下次跟进', 'next follow-up'],
}

/** Why a row was refused (the renderer's import.reason.* say the same). */
const REASON_TEXT: Record<string, [string, string]> = {
  blank_name: ['姓名为空', 'the name is blank'],
  blank_phone: ['电话为空', 'the phone is blank'],
  phone_chars: ['电话含有非号码字符', 'the phone has characters a number does not'],
  phone_invalid: ['不是有效的电话号码', 'not a valid phone number'],
  phone_repeated: ['同一行的两个电话相同', 'the same phone twice in the row'],
  unknown_value: ['无法识别的值', 'a value the import does not know'],
  out_of_range: ['超出范围', 'out of range'],
  not_a_date: ['不是有效日期', 'not a date'],
  in_future: ['日期在今天之后', 'a date after today'],
  too_early: ['日期早于1900年', 'a date before 1900'],
  too_long: ['内容过长', 'too long'],
  bad_text: ['含有不可见或不允许的字符', 'an invisible or disallowed character'],
  unknown_owner: ['找不到这位经纪人', 'no agent of that name'],
  duplicate_in_file: ['与文件中前面一行的电话重复', 'the same phone as an earlier row of the file'],
  blank_client: ['没有客户编号、电话或姓名', 'no client number, phone or name'],
  client_not_found: ['系统中没有这位客户', 'no such client in the book'],
  client_ambiguous: ['同名客户不止一位，请填客户电话或编号', 'several clients of that name: give the phone or number'],
  client_mismatch: ['客户编号、电话和姓名不是同一位客户', 'the number, phone and name are not one client'],
  blank_content: ['跟进内容为空', 'the content is blank'],
  before_1990: ['日期早于1990年', 'a date before 1990'],
  blank_staff: ['跟进人为空', 'nobody named as having followed up'],
  unknown_staff: ['找不到这位员工', 'no colleague of that name'],
}

export interface RefusedRow {
  row_no: number
  field: string | null
  reason: string | null
  params: string | null
  raw: string
}

function reasonText(r: RefusedRow, lang: 0 | 1): string {
  const field = FIELD_TEXT[r.field as AnyImportField]?.[lang] ?? r.field ?? ''
  const reason = REASON_TEXT[r.reason ?? '']?.[lang] ?? r.reason ?? ''
  const params = r.params ? (JSON.parse(r.params) as Record<string, string | number>) : {}
  const detail =
    params.row !== undefined
      ? lang === 0
        ? `（第${params.row}行）`
        : ` (row ${params.row})`
      : params.value !== undefined
        ? `: ${params.value}`
        : params.count !== undefined
          ? lang === 0
            ? `（${params.count}位）`
            : ` (${params.count})`
          : ''
  return `${field}: ${reason}${detail}`
}

/**
 * The refused rows as a workbook, written with exceljs' streaming writer: the file's own columns
 * as read, then its row number and the reason (zh and en), so the branch can fix the rows and
 * import that workbook again.
 */
export async function errorWorkbook(headers: readonly string[], rows: readonly RefusedRow[]): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default
  const out = new PassThrough()
  const parts: Buffer[] = []
  out.on('data', (c: Buffer) => parts.push(c))
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve)
    out.on('error', reject)
  })
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true })
  const ws = wb.addWorksheet('未导入的行')
  const head = ws.addRow([...headers, '原行号', '原因', 'Reason'])
  head.font = { bold: true }
  head.commit()
  for (const r of rows) {
    const cells = JSON.parse(r.raw) as string[]
    ws.addRow([...headers.map((_, i) => cells[i] ?? ''), r.row_no, reasonText(r, 0), reasonText(r, 1)]).commit()
  }
  ws.commit()
  await wb.commit()
  await ended
  return Buffer.concat(parts)
}
