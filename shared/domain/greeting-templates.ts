import { HOLIDAY_KEYS, type HolidayKey } from './holidays'

/** What a greeting is for: a birthday, a deal anniversary, a month after handover, or a holiday. */
export const OCCASIONS = ['birthday', 'dealAnniversary', 'handoverMonth', ...HOLIDAY_KEYS] as const
export type OccasionKey = (typeof OCCASIONS)[number]

/** The placeholders a greeting template may use, filled per client when the list is read or exported. */
export const GREETING_PLACEHOLDERS = ['姓名', '节日', '年数', '房号', '经纪人', '门店'] as const
export type GreetingPlaceholder = (typeof GREETING_PLACEHOLDERS)[number]

const HOLIDAY_ZH: Record<HolidayKey, string> = {
  newYear: '元旦',
  springFestival: '春节',
  lantern: '元宵节',
  qingming: '清明',
  labourDay: '五一劳动节',
  dragonBoat: '端午节',
  qixi: '七夕',
  midAutumn: '中秋节',
  nationalDay: '国庆节',
  doubleNinth: '重阳节',
}

/** The Chinese name of a holiday, as {节日} fills it (an SMS goes out in Chinese). */
export function holidayNameZh(key: HolidayKey): string {
  return HOLIDAY_ZH[key]
}

const HOLIDAY_GREETING = '{节日}快乐，祝您和家人幸福安康！'

/** The greeting each occasion starts with until the manager edits it. */
export const DEFAULT_GREETINGS: Record<OccasionKey, string> = {
  birthday: '祝您生日快乐，身体健康，万事如意！',
  dealAnniversary: '{姓名}您好，您入手{房号}已满{年数}年，感谢您一直以来的信任，{经纪人}随时为您服务。',
  handoverMonth: '{姓名}您好，{房号}交房已满一个月，入住还顺利吗？有任何问题请随时联系{经纪人}。',
  ...(Object.fromEntries(HOLIDAY_KEYS.map((k) => [k, HOLIDAY_GREETING])) as Record<HolidayKey, string>),
}

/** The placeholders a template names that do not exist (a typo such as {名字}), in order of appearance. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(GREETING_PLACEHOLDERS)
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!).filter((name) => !known.has(name))
}

/** A template filled for one client: each known placeholder replaced, a missing value left empty. */
export function fillGreeting(template: string, values: Partial<Record<GreetingPlaceholder, string>>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => ((GREETING_PLACEHOLDERS as readonly string[]).includes(name) ? (values[name as GreetingPlaceholder] ?? '') : whole))
}
