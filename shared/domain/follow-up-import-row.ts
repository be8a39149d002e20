import { normalizeClientPhone } from './client-phone'
import type { FollowUpChannel } from './client-enums'
import type { ColumnMapping, FollowUpImportField } from './import-columns'
import { normalizeText, textProblem } from './text-kinds'

type Channel = ReturnType<typeof FollowUpChannel.parse>

/** How a row names its client; the host finds the one client these name (code first, then phone, then name). */
export interface ClientKey {
  code: string | null
  e164: string | null
  name: string | null
}

/** A follow-up row's values as the import writes them. */
export interface ImportedFollowUp {
  client: ClientKey
  /** UTC ISO time of the contact */
  at: string
  channel: Channel
  content: string
  staffId: number
  /** 下次跟进 as written then: a time (nextDueAt) or words (nextAction); history, so no task is made of it */
  nextAction: string | null
  nextDueAt: string | null
}

/** Why a follow-up row is refused or skipped; zh and en text in the renderer (clientImport.reasons.<reason>). */
export type FollowUpRowReason =
  | 'blank_client'
  | 'phone_chars'
  | 'phone_invalid'
  | 'not_a_date'
  | 'in_future'
  | 'before_1990'
  | 'unknown_value'
  | 'blank_content'
  | 'too_long'
  | 'bad_text'
  | 'blank_staff'
  | 'unknown_staff'

/** Every reason a follow-up row gets: its own checks', and the host's (the client, duplicates: skip). */
export type FollowUpVerdictReason = FollowUpRowReason | 'client_not_found' | 'client_ambiguous' | 'client_mismatch' | 'same_as_row' | 'already_recorded'

export interface FollowUpRefusal {
  field: FollowUpImportField
  reason: FollowUpRowReason
  params?: Record<string, string | number>
}

export type FollowUpRowCheck = { ok: true; value: ImportedFollowUp } | { ok: false; refusal: FollowUpRefusal }

/** The words a branch writes for each channel (compared lower case, half width, without spaces); blank is a note. */
const CHANNEL_WORDS: Record<Channel, readonly string[]> = {
  phone: ['电话', '来电', '去电', '打电话', '电话回访', '电联', '致电', 'phone', 'call'],
  wechat: ['微信', '企业微信', '微信沟通', 'wx', 'wechat'],
  visit: ['面谈', '到访', '上门', '来访', '拜访', '见面', '门店', '面访', 'visit'],
  viewing: ['带看', '看房', '实地看房', '陪同看房', 'viewing'],
  sms: ['短信', '信息', 'sms'],
  note: ['备注', '记录', '其他', '其它', 'note'],
}

function wordKey(s: string): string {
  return normalizeText('query', s).replace(/\s/g, '').toLowerCase()
}

const CHANNEL_OF_WORD = new Map((Object.entries(CHANNEL_WORDS) as Array<[Channel, readonly string[]]>).flatMap(([c, ws]) => ws.map((w) => [wordKey(w), c] as const)))

/** The channel a 跟进方式 cell names, or null when the import does not know the word. */
export function channelOfWord(text: string): Channel | null {
  return CHANNEL_OF_WORD.get(wordKey(text)) ?? null
}

/** Excel's day 0 (its serial dates count from 1899-12-30). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)
const DAY_MS = 86_400_000
/** The branch's clock: Asia/Shanghai, UTC+8 all year. */
const BRANCH_OFFSET_MS = 8 * 3_600_000
/** History before this is a wrong cell, not a contact (the branch kept no computer then). */
export const EARLIEST_FOLLOW_UP = '1990-01-01T00:00:00.000Z'

/**
 * A time cell as a UTC ISO instant, read as Shanghai wall time: 2024-03-05 14:30(:00), with / . or
 * 年月日 (时分), a date alone (00:00), the reader's form of a date-time cell, or an Excel serial
 * number with its fraction of a day (45356.5 = 2024-03-05 12:00). Null: not a time.
 */
export function readDateTime(text: string): string | null {
  const t = normalizeText('query', text).trim()
  let wall: number
  if (/^\d{4,5}(\.\d+)?$/.test(t)) {
    const serial = Number(t)
    if (serial < 1 || serial > 2_958_465) return null
    wall = EXCEL_EPOCH_MS + Math.round(serial * DAY_MS / 1000) * 1000
  } else {
    const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})\s*秒?)?分?)?$/.exec(t)
    if (!m) return null
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null
    wall = Date.UTC(y, mo - 1, d, h, mi, s)
    // 2024-02-30 rolls over in Date.UTC: not a day of the calendar
    if (new Date(wall).getUTCDate() !== d) return null
  }
  return new Date(wall - BRANCH_OFFSET_MS).toISOString()
}

/** 跟进内容 and 下次跟进 as the follow-up contract takes them. */
const CONTENT_MAX = 2000
const NEXT_MAX = 200

/**
 * Checks one row of a follow-up sheet against the mapping and turns it into what the import
 * writes, or names the first field at fault and why. `now` is the host's time (a contact after it
 * is refused); `staffIdOf` finds a colleague, present or departed, by the 跟进人 cell. Finding the
 * client and the duplicates are the host's (they need the book).
 */
export function checkFollowUpRow(cells: readonly string[], mapping: ColumnMapping, now: string, staffIdOf: (name: string) => number | undefined): FollowUpRowCheck {
  const raw = new Map<string, string>()
  for (const [col, f] of Object.entries(mapping)) raw.set(f, (cells[Number(col)] ?? '').trim())
  const get = (f: FollowUpImportField) => raw.get(f) ?? ''
  const refuse = (field: FollowUpImportField, reason: FollowUpRowReason, params?: Record<string, string | number>): FollowUpRowCheck => ({ ok: false, refusal: { field, reason, ...(params ? { params } : {}) } })

  const code = normalizeText('code', get('clientCode')).toUpperCase() || null
  const name = normalizeText('name', get('clientName')) || null
  let e164: string | null = null
  const phoneText = get('clientPhone')
  if (phoneText) {
    const p = normalizeClientPhone(phoneText)
    if (!p.ok) return refuse('clientPhone', p.reason, { value: phoneText.slice(0, 40) })
    e164 = p.phone.e164
  }
  if (!code && !e164 && !name) {
    const mapped = Object.values(mapping)
    return refuse((['clientPhone', 'clientCode', 'clientName'] as const).find((f) => mapped.includes(f)) ?? 'clientPhone', 'blank_client')
  }

  const atText = get('followedAt')
  const at = atText ? readDateTime(atText) : null
  if (!at) return refuse('followedAt', 'not_a_date', { value: atText.slice(0, 40) })
  if (at > now) return refuse('followedAt', 'in_future', { value: atText.slice(0, 40) })
  if (at < EARLIEST_FOLLOW_UP) return refuse('followedAt', 'before_1990', { value: atText.slice(0, 40) })

  const channelText = get('channel')
  const channel = channelText ? channelOfWord(channelText) : 'note'
  if (!channel) return refuse('channel', 'unknown_value', { value: channelText.slice(0, 40) })

  const content = normalizeText('note', get('content'))
  if (!content) return refuse('content', 'blank_content')
  const problem = textProblem('note', content)
  if (problem) return refuse('content', 'bad_text', { char: problem.char })
  if (content.length > CONTENT_MAX) return refuse('content', 'too_long', { maximum: CONTENT_MAX })

  const staffText = normalizeText('name', get('staff'))
  if (!staffText) return refuse('staff', 'blank_staff')
  const staffId = staffIdOf(staffText)
  if (staffId === undefined) return refuse('staff', 'unknown_staff', { value: staffText.slice(0, 40) })

  let nextAction: string | null = null
  let nextDueAt: string | null = null
  const nextText = get('nextFollowUp')
  if (nextText) {
    nextDueAt = readDateTime(nextText)
    if (!nextDueAt) {
      const words = normalizeText('line', nextText)
      const bad = textProblem('line', words)
      if (bad) return refuse('nextFollowUp', 'bad_text', { char: bad.char })
      if (words.length > NEXT_MAX) return refuse('nextFollowUp', 'too_long', { maximum: NEXT_MAX })
      nextAction = words || null
    }
  }

  return { ok: true, value: { client: { code, e164, name }, at, channel, content, staffId, nextAction, nextDueAt } }
}
