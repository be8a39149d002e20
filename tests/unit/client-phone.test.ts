import { parsePhoneNumberWithError } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'
import { forgetMobileBlocks, maskPhone, normalizeClientPhone, phoneQueryDigits } from '@shared/domain/client-phone'

describe('client phones', () => {
  it.each([
    ['13812345678', '+8613812345678', '13812345678', 'mobile'],
    ['138 1234 5678', '+8613812345678', '13812345678', 'mobile'],
    ['+86 138-1234-5678', '+8613812345678', '13812345678', 'mobile'],
    ['１３８１２３４５６７８', '+8613812345678', '13812345678', 'mobile'],
    ['021-62345678', '+862162345678', '02162345678', 'landline'],
    ['(021) 6234 5678', '+862162345678', '02162345678', 'landline'],
    ['0755-8888 6666', '+8675588886666', '075588886666', 'landline'],
  ])('%s -> %s', (raw, e164, digits, kind) => {
    const r = normalizeClientPhone(raw)
    expect(r).toMatchObject({ ok: true, phone: { e164, digits, kind } })
    if (r.ok && kind === 'landline') expect(r.phone.display).toMatch(/^0\d{2,3}-\d{7,8}$/)
  })

  it.each([
    ['13812345678abc', 'phone_chars'],
    ['tel:13812345678', 'phone_chars'],
    ['', 'phone_chars'],
    ['12345678901', 'phone_invalid'],
    ['10086', 'phone_invalid'],
    ['62345678', 'phone_invalid'],
    ['1381234567', 'phone_invalid'],
  ])('%s is refused (%s)', (raw, reason) => {
    expect(normalizeClientPhone(raw)).toEqual({ ok: false, reason })
  })

  it.each([
    ['(+86)139-1234-5678', '13912345678'],
    ['（+86）139 1234 5678', '13912345678'],
    ['+86 139.1234.5678', '13912345678'],
    ['0086 13912345678', '13912345678'],
    ['86-139-1234-5678', '13912345678'],
    ['8613912345678', '13912345678'],
    ['＋８６　１３９　１２３４　５６７８', '13912345678'],
    ['139—1234—5678', '13912345678'],
    ['139。1234。5678', '13912345678'],
    ['139\u200B1234\u200B5678', '13912345678'],
    ['(021) 6123-4567', '021-61234567'],
    ['+86 (0)21 6123 4567', '021-61234567'],
    ['86 21 6123 4567', '021-61234567'],
    ['021-61234567-808', '021-61234567转808'],
    ['021-61234567转808', '021-61234567转808'],
    ['021 6123 4567 ext. 808', '021-61234567转808'],
    ['02161234567#808', '021-61234567转808'],
    ['400-600-1234转2', '4006001234转2'],
  ])('%s is read as %s', (raw, display) => {
    const r = normalizeClientPhone(raw)
    expect(r).toMatchObject({ ok: true, phone: { display } })
    // an extension is shown, never part of what the number is
    const line = normalizeClientPhone(display.replace(/转\d+$/, ''))
    expect(r.ok && line.ok && r.phone.e164 === line.phone.e164 && !line.phone.display.includes('转')).toBe(true)
  })

  it.each([
    ['13912345678转808', 'phone_invalid'],
    ['139+12345678', 'phone_chars'],
    ['139\u202E12345678', 'phone_chars'],
    ['021-6123-45678', 'phone_invalid'],
    ['(+86)(+86)13912345678', 'phone_chars'],
  ])('%s is refused (%s): a mobile has no extension, stray signs are not read around', (raw, reason) => {
    expect(normalizeClientPhone(raw)).toEqual({ ok: false, reason })
  })

  it('masks mobiles and landlines', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('021-62345678')).toBe('021-****5678')
    expect(maskPhone('0755-88886666')).toBe('0755-****6666')
    expect(maskPhone('021-61234567转808')).toBe('021-****4567')
  })

  // issue #15: a number typed into search, whole or its start, reads as the stored digits
  it.each([
    ['138', '138'],
    ['+86 152', '152'],
    ['+86 1521234', '1521234'],
    ['+86152', '152'],
    ['0086152', '152'],
    ['0086 15212345678', '15212345678'],
    ['(+86)152-1234', '1521234'],
    ['(+86) 152 1234 5678', '15212345678'],
    ['（+86）152', '152'],
    ['(0086)152', '152'],
    ['(86) 152', '152'],
    ['86 152 1234', '1521234'],
    ['86-152-1234', '1521234'],
    ['＋８６ １５２', '152'],
    ['１５２ １２３４', '1521234'],
    ['１５２－１２３４', '1521234'],
    ['152-1234-5678', '15212345678'],
    ['152.1234.5678', '15212345678'],
    ['152 1234 5678', '15212345678'],
    ['152\u200b1234', '1521234'],
    ['+86 21 6123', '0216123'],
    ['+86-21-6123-4567', '02161234567'],
    ['021-6123', '0216123'],
    ['(021) 6123', '0216123'],
    // a bare 86 run into the digits may be the number itself: kept
    ['8615212', '8615212'],
  ])('reads the typed number %j as %j', (typed, digits) => {
    expect(phoneQueryDigits(typed)).toBe(digits)
  })

  it.each(['张伟', 'ky0001', '138abc', '12+3', '+', '', ' - '])('reads %j as no number', (typed) => {
    expect(phoneQueryDigits(typed)).toBeNull()
  })

  it('stores every written form of one number as the same number', () => {
    const forms = ['+86 152 1234 5678', '0086 15212345678', '(+86)152-1234-5678', '（+86）152.1234.5678', '８６ １５２ １２３４ ５６７８', '152-1234-5678', '１５２１２３４５６７８']
    for (const f of forms) expect(normalizeClientPhone(f), f).toMatchObject({ ok: true, phone: { e164: '+8615212345678', digits: '15212345678' } })
  })

  // readNumber answers a bare 11-digit number of a 7-digit block it has already parsed to a mobile
  // without the parser (a list imports 100,000): that holds only while the metadata's type of such a
  // number follows its first seven digits. Every 5-digit start (the metadata reads at most five today),
  // with random blocks and tails: the answer through a learned block is the parser's own.
  it('a number of a block already found mobile gets the answer the full parse gives it', () => {
    let seed = 7
    const next = (n: number) => String(((seed = (seed * 48271) % 2147483647) % 10 ** n)).padStart(n, '0')
    let viaBlocks = 0
    for (let start = 10000; start < 20000; start++) {
      const block = `${start}${next(2)}`
      const [first, second] = [`${block}${next(4)}`, `${block}${next(4)}`]
      forgetMobileBlocks()
      const learned = normalizeClientPhone(first)
      const answered = normalizeClientPhone(second)
      forgetMobileBlocks()
      const parsed = normalizeClientPhone(second)
      expect(answered, second).toEqual(parsed)
      if (learned.ok && learned.phone.kind === 'mobile') viaBlocks++
    }
    // most starts from 13 to 19 are mobile blocks (the shortcut was taken), none from 10 to 12
    expect(viaBlocks).toBeGreaterThan(5000)
    forgetMobileBlocks()
  })

  it('a number is accepted exactly when the full metadata finds it valid, and a mobile shows as its national form without spaces', () => {
    // every 1xx-xxx prefix and a few 0xx area codes, 7 and 8 more digits: what the shortcut in readNumber
    // (the type asked once, a mobile's display from its digits) must agree with
    let mobiles = 0
    for (let prefix = 1000; prefix < 2000; prefix++) {
      for (const rest of ['0000000', '1234567', '9876543', '5550123']) {
        const digits = `${prefix}${rest}`
        const parsed = parsePhoneNumberWithError(digits, 'CN')
        const r = normalizeClientPhone(digits)
        expect(r.ok, digits).toBe(parsed.isValid())
        if (!r.ok || r.phone.kind !== 'mobile') continue
        mobiles++
        expect(r.phone.display, digits).toBe(parsed.formatNational().replace(/\s+/g, ''))
      }
    }
    expect(mobiles).toBeGreaterThan(1000)
    for (const digits of ['02162345678', '075588886666', '01087654321', '057187654321']) {
      const r = normalizeClientPhone(digits)
      expect(r.ok, digits).toBe(parsePhoneNumberWithError(digits, 'CN').isValid())
    }
  })
})
