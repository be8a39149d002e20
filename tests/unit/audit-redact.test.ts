import { describe, expect, it } from 'vitest'
import { normalizeSearchNumber } from '../../electron/host/domains/audit/audit-numbers'
import { AUDIT_MAX_DEPTH, redactForAudit, TOO_DEEP } from '../../electron/host/domains/audit/audit-redact'

const ID = '11010519491231002X'

/** A payload nested `depth` objects deep, with a phone at the bottom. */
function nested(depth: number): unknown {
  let v: unknown = { phone: '13812345678' }
  for (let i = 0; i < depth; i++) v = { next: v }
  return v
}

describe('audit redaction', () => {
  it('replaces secrets, as before', () => {
    expect(redactForAudit({ username: 'li', password: 'hunter22', newPassword: 'x', token: 't', apiSecret: 's' }).value).toEqual({
      username: 'li',
      password: '***',
      newPassword: '***',
      token: '***',
      apiSecret: '***',
    })
  })

  it('masks phones and ID numbers by key name, in arrays and list items, and keeps the rest', () => {
    const r = redactForAudit({
      name: '张伟',
      phone: '13812345678',
      mobile: '+86 139 1234 5678',
      phones: [{ number: '021-62345678', label: '家' }, { number: '１３８１２３４５６７８', label: null }],
      checkDuplicate: { phones: ['13912345678', '1381234'] },
      idNumber: ID.toLowerCase(),
      staff: { phone: 13712345678 },
    })
    expect(r.value).toEqual({
      name: '张伟',
      phone: '138****5678',
      mobile: '139****5678',
      phones: [{ number: '021-****5678', label: '家' }, { number: '138****5678', label: null }],
      checkDuplicate: { phones: ['139****5678', '138****'] },
      idNumber: '110***********002X',
      staff: { phone: '137****5678' },
    })
    expect(r.numbers).toEqual(['id:11010519491231002X', 'phone:+8613712345678', 'phone:+8613812345678', 'phone:+8613912345678', 'phone:+862162345678'])
  })

  it('masks numbers by shape anywhere in free text, at any depth, and leaves other digits alone', () => {
    const r = redactForAudit({
      note: '客户说新号码是 (+86)139-1234-5678，身份证 11010519491231002x，订金 5000 元',
      deep: { a: [{ b: ['回电 021 6234 5678 或 13812345678'] }] },
      code: 'KY2026000123',
      at: '2026-11-25T02:00:00.000Z',
      card: '0012345678',
      price: 1381234567800,
      '13612345678': true,
    })
    expect(r.value).toEqual({
      note: '客户说新号码是 139****5678，身份证 110***********002X，订金 5000 元',
      deep: { a: [{ b: ['回电 021-****5678 或 138****5678'] }] },
      code: 'KY2026000123',
      at: '2026-11-25T02:00:00.000Z',
      card: '0012345678',
      price: 1381234567800,
      '136****5678': true,
    })
    expect(r.numbers).toContain('id:11010519491231002X')
    expect(r.numbers).toContain('phone:+8613912345678')
    expect(r.numbers).toContain('phone:+862162345678')
    expect(r.numbers).toContain('phone:+8613612345678')
  })

  it('does not read a phone or an ID out of the middle of a longer number, nor an ID without a birth date', () => {
    const r = redactForAudit({ a: '9913812345678', b: '11010519491231002Y', c: '6222021001122334455', d: '110105199913450021' })
    expect(r.value).toEqual({ a: '9913812345678', b: '11010519491231002Y', c: '6222021001122334455', d: '110105199913450021' })
    expect(r.numbers).toEqual([])
  })

  it('masks a mistyped ID number too (a wrong check character is still somebody\'s number)', () => {
    const r = redactForAudit({ note: '证件 110105194912310021' })
    expect(r.value).toEqual({ note: '证件 110***********0021' })
    expect(r.numbers).toEqual(['id:110105194912310021'])
  })

  it('replaces what is deeper than the limit with a marker, and a 10,000-deep payload does not overflow', () => {
    const shallow = redactForAudit(nested(AUDIT_MAX_DEPTH - 2)).value
    expect(JSON.stringify(shallow)).toContain('138****5678')
    const deep = redactForAudit(nested(10_000))
    const json = JSON.stringify(deep.value)
    expect(json).toContain(TOO_DEEP)
    expect(json).not.toContain('13812345678')
    expect(json.split('"next"').length - 1).toBe(AUDIT_MAX_DEPTH)
    let arrays: unknown = ['13812345678']
    for (let i = 0; i < 10_000; i++) arrays = [arrays]
    expect(JSON.stringify(redactForAudit(arrays).value)).toContain(TOO_DEEP)
  })

  it('keeps keys in order and a key named __proto__ as a plain key', () => {
    const input = JSON.parse('{"b":1,"__proto__":{"phone":"13812345678"},"a":2}') as unknown
    const out = redactForAudit(input).value
    expect(JSON.stringify(out)).toBe('{"b":1,"__proto__":{"phone":"138****5678"},"a":2}')
  })

  it('reads a searched number the way the log hashed it', () => {
    expect(normalizeSearchNumber('138 1234 5678')).toBe('phone:+8613812345678')
    expect(normalizeSearchNumber('+86 13812345678')).toBe('phone:+8613812345678')
    expect(normalizeSearchNumber(ID.toLowerCase())).toBe(`id:${ID}`)
    expect(normalizeSearchNumber('1381234')).toBeNull()
  })
})
