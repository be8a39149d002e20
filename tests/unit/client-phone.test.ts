import { describe, expect, it } from 'vitest'
import { maskPhone, normalizeClientPhone } from '../../shared/domain/client-phone'

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

  it('masks mobiles and landlines', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('021-62345678')).toBe('021-****5678')
    expect(maskPhone('0755-88886666')).toBe('0755-****6666')
  })
})
