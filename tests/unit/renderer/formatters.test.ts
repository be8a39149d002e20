import type { TFunction } from 'i18next'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  formatBranchClock,
  formatBranchDate,
  formatBranchRange,
  formatBranchShort,
  formatBranchTime,
  fromBranchWallTime,
  toBranchWallTime,
} from '@shared/domain/branch-time'
import { ClientKind, DemandType, Education, FollowUpChannel, Gender, Horizon, Intention, Schooling, SourceChannel, Stage, Tier, WealthTier } from '@shared/domain/client-enums'
import { UnitStatus } from '@shared/domain/unit-status'
import { cellUnitsOf, signedWan, sqm, statusName, timeLeft, toFen, wan, yuan, yuanPerSqm } from '../../../renderer/src/features/board/format'
import { areaToM2, fenToWan, isPartialNumber, m2ToArea, orNull, plainNumber, protectionText, stageColor, tierColor, wanToFen, yuanToFen } from '../../../renderer/src/features/clients/client-format'
import { clientEnumOptions, clientEnumText, needEnumText, tierText } from '../../../renderer/src/features/clients/enum-text'
import { cardNumberText, discountText, looksLikeCard, protectionDaysLeft, protectionText as deskProtection } from '../../../renderer/src/features/front-desk/desk-format'
import { agoText } from '../../../renderer/src/features/work/work-time'
import { rawText, textsIn } from './i18n-fixture'

let zhT: TFunction
let enT: TFunction
beforeAll(async () => {
  zhT = await textsIn('zh')
  enT = await textsIn('en')
})

const HOUR = 3_600_000
const DAY = 24 * HOUR
const NOW = Date.parse('2026-11-25T02:00:00Z') // 10:00 in the branch

describe('branch time (Asia/Shanghai, whatever zone the PC is in)', () => {
  const zoneBefore = process.env.TZ
  afterEach(() => {
    // an unset zone is restored by deleting it: assigning undefined would leave the text "undefined"
    // for every later file of this worker (the suite runs files without isolation)
    if (zoneBefore === undefined) delete process.env.TZ
    else process.env.TZ = zoneBefore
  })

  it('reads a stored UTC time on the branch clock, the day turning at midnight in Shanghai', () => {
    expect(formatBranchTime('2026-11-25T02:00:00Z')).toBe('2026-11-25 10:00')
    expect(formatBranchTime('2026-11-25T16:30:00.000Z')).toBe('2026-11-26 00:30')
    expect(formatBranchDate('2026-11-25T15:59:59Z')).toBe('2026-11-25')
    expect(formatBranchDate(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26')
    expect(formatBranchClock('2026-11-25T06:05:00Z')).toBe('14:05')
  })

  it('shows the same time on a PC set to New York or UTC as on one in Shanghai', () => {
    for (const zone of ['America/New_York', 'UTC', 'Asia/Shanghai']) {
      process.env.TZ = zone
      expect(formatBranchTime('2026-07-01T23:15:00Z'), zone).toBe('2026-07-02 07:15')
      expect(fromBranchWallTime('2026-07-02T07:15:00'), zone).toBe('2026-07-01T23:15:00.000Z')
    }
  })

  it('is empty for no time and leaves an unreadable one as it is', () => {
    expect(formatBranchTime(null)).toBe('')
    expect(formatBranchTime(undefined)).toBe('')
    expect(formatBranchTime('not a time')).toBe('not a time')
  })

  it('is short for today, drops the year this year, and is whole otherwise', () => {
    const now = new Date(NOW)
    expect(formatBranchShort('2026-11-25T09:30:00Z', now)).toBe('17:30')
    expect(formatBranchShort('2026-11-26T09:30:00Z', now)).toBe('11-26 17:30')
    expect(formatBranchShort('2025-11-25T09:30:00Z', now)).toBe('2025-11-25 17:30')
  })

  it('gives a span one date when it ends the same day, both when it ends the next', () => {
    expect(formatBranchRange('2026-11-25T02:00:00Z', '2026-11-25T03:00:00Z')).toBe('2026-11-25 10:00–11:00')
    expect(formatBranchRange('2026-11-25T15:00:00Z', '2026-11-25T16:30:00Z')).toBe('2026-11-25 23:00–2026-11-26 00:30')
  })

  it('trades wall-clock times with date pickers both ways', () => {
    expect(toBranchWallTime('2026-11-24T16:00:00Z')).toBe('2026-11-25T00:00:00')
    expect(fromBranchWallTime('2026-11-25T00:00:00')).toBe('2026-11-24T16:00:00.000Z')
    expect(fromBranchWallTime('2026-11-25T10:00')).toBe('2026-11-25T02:00:00.000Z')
    expect(fromBranchWallTime('2026-11-25T10:00:00.500')).toBe('2026-11-25T02:00:00.500Z')
    for (const iso of ['2026-01-01T00:00:00.000Z', '2026-06-30T18:45:12.000Z']) expect(fromBranchWallTime(toBranchWallTime(iso))).toBe(iso)
    expect(() => fromBranchWallTime('yesterday')).toThrow(RangeError)
  })
})

describe('board amounts and areas', () => {
  it('writes fen as 万元, yuan and yuan per m², and 0.01 m² as m²', () => {
    expect(wan(268_500_000)).toBe('268.5')
    expect(wan(123_456_789)).toBe('123.46')
    expect(signedWan(1_250_000)).toBe('+1.25')
    expect(signedWan(-30_000_000)).toBe('-30')
    expect(signedWan(0)).toBe('0')
    expect(yuan(149_100_000)).toBe('1,491,000')
    expect(yuan(12_345)).toBe('123.45')
    expect(yuanPerSqm(2_769_149)).toBe('27,691')
    expect(sqm(8_925)).toBe('89.25')
    expect(toFen(19.99)).toBe(1999)
  })

  it('counts down a hold in hours and minutes, and says nothing once it has passed', () => {
    const until = new Date(NOW + 26 * HOUR + 5 * 60_000).toISOString()
    expect(timeLeft(until, NOW)).toEqual({ h: 26, m: 5 })
    expect(timeLeft(new Date(NOW - 1).toISOString(), NOW)).toBeNull()
  })

  it('writes a cell’s area and price the way each language writes them short, in 万 (English: × ¥10k) as the rest of the board', () => {
    const zh = cellUnitsOf(zhT)
    expect([zh.area, zh.price, zh.amount(204_100_000), zh.amount(12_345_678_000)]).toEqual([['', '㎡'], ['', '万'], '204.1', '12345.68'])
    const en = cellUnitsOf(enT)
    expect([en.area, en.price, en.amount(204_100_000), en.amount(95_000_000)]).toEqual([['', ' m²'], ['', '×¥10k'], '204.1', '95'])
  })

  it('names a unit status in each language, and leaves a value that is none as it is', () => {
    expect(statusName(zhT, 'small_deposit')).toBe('小订')
    expect(statusName(enT, 'small_deposit')).toBe('Small deposit')
    expect(statusName(zhT, 'teleported')).toBe('teleported')
  })
})

describe('client amounts and protection', () => {
  it('converts between stored units (fen, 0.01 m²) and the ones a clerk types', () => {
    expect(wanToFen(268.5)).toBe(268_500_000)
    expect(fenToWan(268_500_000)).toBe(268.5)
    expect(yuanToFen(27_691)).toBe(2_769_100)
    expect(m2ToArea(89.25)).toBe(8925)
    expect(areaToM2(8925)).toBe(89.25)
    expect([wanToFen(null), fenToWan(undefined), m2ToArea(null), areaToM2(undefined)]).toEqual([null, null, null, null])
    expect(plainNumber(1_234_567.891, 'en')).toBe('1,234,567.89')
    expect(orNull('  ')).toBeNull()
    expect(orNull(' 浦东 ')).toBe('浦东')
  })

  it('says how much protection is left, warning in the last three days', () => {
    const at = (ms: number) => new Date(NOW + ms).toISOString()
    expect(protectionText(zhT, null, NOW)).toEqual({ text: '未受保护', state: 'none', title: '' })
    expect(protectionText(zhT, at(10 * DAY), NOW)).toMatchObject({ text: '保护期剩 10 天', state: 'active', title: '保护至 2026-12-05 10:00' })
    expect(protectionText(zhT, at(2.5 * DAY), NOW)).toMatchObject({ text: '保护期剩 3 天', state: 'ending' })
    expect(protectionText(zhT, at(90 * 60_000), NOW)).toMatchObject({ text: '保护期剩 2 小时', state: 'ending' })
    expect(protectionText(zhT, at(-1), NOW)).toMatchObject({ text: '保护期已过', state: 'expired' })
    expect(protectionText(zhT, at(5 * DAY), NOW, true).text).toBe('剩 5 天')
    expect(protectionText(enT, at(5 * DAY), NOW).text).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('colours tiers and stages, and knows a partial phone number from a whole one', () => {
    expect([tierColor('vip'), tierColor('key'), tierColor('normal'), tierColor('potential')]).toEqual(['gold', 'volcano', 'blue', undefined])
    expect([stageColor('negotiating'), stageColor('closed'), stageColor('potential')]).toEqual(['orange', 'green', undefined])
    expect(isPartialNumber('1381')).toBe(true)
    expect(isPartialNumber('138 1234-567')).toBe(true)
    expect(isPartialNumber('13812345678')).toBe(false)
    expect(isPartialNumber('１３８１')).toBe(true)
    expect(isPartialNumber('张1381')).toBe(false)
  })
})

describe('front desk words', () => {
  it('counts whole protection days left (rounded up), 0 once over', () => {
    expect(protectionDaysLeft(null, NOW)).toBeNull()
    expect(protectionDaysLeft(new Date(NOW + 1.2 * DAY).toISOString(), NOW)).toBe(2)
    expect(protectionDaysLeft(new Date(NOW - DAY).toISOString(), NOW)).toBe(0)
    expect(deskProtection(zhT, null, false, NOW)).toEqual({ text: '公客（无归属）', tone: 'none' })
    expect(deskProtection(zhT, null, true, NOW)).toEqual({ text: '无保护期', tone: 'none' })
    expect(deskProtection(zhT, new Date(NOW + 6 * DAY).toISOString(), true, NOW)).toEqual({ text: '保护期剩 6 天', tone: 'soon' })
    expect(deskProtection(zhT, new Date(NOW + 12 * DAY).toISOString(), true, NOW).tone).toBe('ok')
    expect(deskProtection(zhT, new Date(NOW - DAY).toISOString(), true, NOW)).toEqual({ text: '已过保护期', tone: 'over' })
  })

  it('says a member discount the way the branch does (5‰ off is 9.95 折)', () => {
    expect(discountText(zhT, 5)).toBe('享 9.95 折')
    expect(discountText(zhT, 100)).toBe('享 9 折')
    expect(discountText(zhT, 0)).toBe('无折扣')
  })

  it('shows an 8-hex-digit card as the 10-digit number printed on it, longer UIDs as they are', () => {
    // the printed decimal number only, not the hex UID (issue 16 item 12)
    expect(cardNumberText('0A1B2C3D')).toBe('0169552957')
    expect(cardNumberText('FFFFFFFF')).toBe('4294967295')
    expect(cardNumberText('04A2B3C4D5E6F7')).toBe('04A2B3C4D5E6F7')
    expect(looksLikeCard('0169552957')).toBe(true)
    expect(looksLikeCard('0a1b2c')).toBe(true)
    expect(looksLikeCard('12345')).toBe(false)
    expect(looksLikeCard('张三')).toBe(false)
  })

  it('says how long ago in days, hours or minutes', () => {
    const now = new Date(NOW)
    expect(agoText(zhT, new Date(NOW - 3 * DAY - HOUR).toISOString(), now)).toBe('3 天')
    expect(agoText(zhT, new Date(NOW - 5 * HOUR).toISOString(), now)).toBe('5 小时')
    expect(agoText(enT, new Date(NOW - 7 * 60_000).toISOString(), now)).toBe('7 min')
    expect(agoText(zhT, new Date(NOW + HOUR).toISOString(), now)).toBe('0 分钟')
  })
})

describe('enum labels', () => {
  const ENUMS = {
    kind: ClientKind,
    gender: Gender,
    tier: Tier,
    stage: Stage,
    demandType: DemandType,
    wealthTier: WealthTier,
    horizon: Horizon,
    education: Education,
    sourceChannel: SourceChannel,
    schooling: Schooling,
    intention: Intention,
    followUpChannel: FollowUpChannel,
  } as const

  it('every value of every shared client enum and unit status has words in Chinese and in English', () => {
    for (const [group, e] of Object.entries(ENUMS)) {
      for (const value of e.options) {
        const key = `clients.enums.${group}.${value}`
        expect(rawText('zh', key), key).toMatch(/\S/)
        expect(rawText('en', key), key).toMatch(/^[^\u4e00-\u9fff]+$/)
      }
    }
    for (const s of UnitStatus.options) expect(enT(`board.status.${s}`)).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('labels values and select options in the UI language', () => {
    expect(clientEnumText(zhT, 'sourceChannel', 'walk_in')).toBe('门店到访')
    expect(clientEnumText(enT, 'sourceChannel', 'walk_in')).toBe('Walk-in')
    expect(clientEnumText(enT, 'stage', 'potential')).toBe('Prospect')
    expect(clientEnumOptions(zhT, 'tier', ['vip', 'potential'])).toEqual([
      { value: 'vip', label: 'VIP' },
      { value: 'potential', label: '潜在' },
    ])
    expect(needEnumText(zhT, 'orientation', 'south_north')).toBe('南北通透')
    expect(tierText(zhT, 'key')).toBe('重点')
    expect(tierText(zhT, 'platinum')).toBe('platinum')
  })
})
