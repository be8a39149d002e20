import type { z } from 'zod'
import type { CareExportQuery } from '@shared/contract/export'
import { holidayNameZh, type OccasionKey } from '@shared/domain/greeting-templates'
import type { HolidayKey } from '@shared/domain/holidays'
import { birthdayList, holidayList, milestoneList, type CareReader } from '../care/care.service'
import { greetingFiller } from '../care/care-templates'
import type { ExportColumn, Exporter, GridSource } from './export-sheet'

type Query = z.output<typeof CareExportQuery>

/** One line of an exported care list: the client as the exporter sees them on the list, the occasion and its words. */
interface CareLine {
  code: string
  name: string
  phone: string | null
  owner: string
  occasion: OccasionKey
  date: string
  greeting: string
  outcome: 'done' | 'skipped' | null
}

const HOLIDAY_EN: Record<HolidayKey, string> = {
  newYear: "New Year's Day",
  springFestival: 'Spring Festival',
  lantern: 'Lantern Festival',
  qingming: 'Qingming',
  labourDay: 'Labour Day',
  dragonBoat: 'Dragon Boat Festival',
  qixi: 'Qixi',
  midAutumn: 'Mid-Autumn Festival',
  nationalDay: 'National Day',
  doubleNinth: 'Double Ninth Festival',
}
const OWN: Record<'birthday' | 'dealAnniversary' | 'handoverMonth', readonly [string, string]> = {
  birthday: ['生日', 'Birthday'],
  dealAnniversary: ['成交周年', 'Deal anniversary'],
  handoverMonth: ['交房满月', 'One month after handover'],
}
function occasionWords(o: OccasionKey, lang: 'zh' | 'en'): string {
  if (o in OWN) return OWN[o as keyof typeof OWN][lang === 'zh' ? 0 : 1]
  return lang === 'zh' ? holidayNameZh(o as HolidayKey) : HOLIDAY_EN[o as HolidayKey]
}
const OUTCOME = { done: ['已问候', 'Done'], skipped: ['已跳过', 'Skipped'] } as const

const COLUMNS: readonly ExportColumn<CareLine>[] = [
  { zh: '客户编号', en: 'Client code', cell: (r) => r.code },
  { zh: '客户', en: 'Client', cell: (r) => r.name },
  // as the list shows it to the exporter: in full only for their own clients
  { zh: '手机', en: 'Mobile', cell: (r) => r.phone ?? '', text: true },
  { zh: '场合', en: 'Occasion', cell: (r, l) => occasionWords(r.occasion, l) },
  { zh: '日期', en: 'Date', cell: (r) => r.date },
  { zh: '短信内容', en: 'Message', cell: (r) => r.greeting },
  { zh: '归属经纪人', en: 'Owner agent', cell: (r) => r.owner },
  { zh: '状态', en: 'Status', cell: (r, l) => (r.outcome ? OUTCOME[r.outcome][l === 'zh' ? 0 : 1] : '') },
]

/** A page of the list the query names, as its care.* method gives it to the exporter. */
async function linesOf(reader: CareReader, q: Query, offset: number, limit: number): Promise<{ rows: CareLine[]; total: number }> {
  const fill = await greetingFiller(reader.db)
  const line = (r: { code: string; name: string; phone: string | null; owner: { name: string } | null; greeting: string; done: { outcome: 'done' | 'skipped' } | null }, occasion: OccasionKey, date: string): CareLine => ({
    code: r.code,
    name: r.name,
    phone: r.phone,
    owner: r.owner?.name ?? '',
    occasion,
    date,
    greeting: r.greeting,
    outcome: r.done?.outcome ?? null,
  })
  if (q.list === 'birthdays') {
    const p = await birthdayList(reader, fill, offset, limit)
    return { rows: p.rows.map((r) => line(r, 'birthday', r.date)), total: p.total }
  }
  if (q.list === 'milestones') {
    const p = await milestoneList(reader, fill, offset, limit)
    return { rows: p.rows.map((r) => line(r, r.occasion, r.date)), total: p.total }
  }
  const p = await holidayList(reader, fill, q.holiday, q.date, offset, limit)
  return { rows: p.rows.map((r) => line(r, q.holiday, q.date)), total: p.total }
}

const readerOf = (db: CareReader['db'], who: Exporter, now: Date): CareReader => ({ db, viewer: { staffId: who.staffId, role: who.role, team: who.team }, now })

/** A care list of the week (客户关怀) for the branch's SMS tool: the same rows, masking and words as the list on screen. Nothing is sent anywhere. */
export function careSource(): GridSource<Query, CareLine> {
  return {
    title: { zh: '客户关怀名单', en: 'Care list' },
    columns: COLUMNS,
    async count(db, q, who, now) {
      return (await linesOf(readerOf(db, who, now), q, 0, 1)).total
    },
    async page(db, q, who, now, from, limit) {
      const { rows } = await linesOf(readerOf(db, who, now), q, from.read, limit)
      return { rows, read: rows.length, last: null }
    },
  }
}
