import { describe, expect, it } from 'vitest'
import {
  isCanonicalUid,
  printUid,
  TEXT_UID_FORMATS,
  uidAliases,
  uidFromBytes,
  uidFromText,
  w26Of,
  type TextUidFormat,
} from '@shared/domain/card-uid'

// Known cards and what each reader setting prints for them.
const CARDS: Array<{ uid: string; printed: Partial<Record<TextUidFormat, string>> }> = [
  {
    uid: '12345678',
    printed: {
      'decimal-10': '0305419896',
      'decimal-10-le': '2018915346',
      'decimal-8': '05222136',
      'hex-be': '12345678',
      'hex-le': '78563412',
    },
  },
  {
    uid: '04A1B2C3',
    printed: {
      'decimal-10': '0077705923',
      'decimal-10-le': '3283263748',
      'decimal-8': '16145763',
      'hex-be': '04A1B2C3',
      'hex-le': 'C3B2A104',
    },
  },
  { uid: '00345678', printed: { 'decimal-10': '0003430008', 'decimal-10-le': '2018915328', 'decimal-8': '05222136' } },
  { uid: '00000001', printed: { 'decimal-10': '0000000001', 'decimal-10-le': '0016777216', 'decimal-8': '00000001' } },
  { uid: 'FFFFFFFF', printed: { 'decimal-10': '4294967295', 'decimal-10-le': '4294967295', 'decimal-8': '25565535' } },
  { uid: 'DEADBEEF', printed: { 'decimal-10': '3735928559', 'decimal-10-le': '4022250974' } },
  { uid: '04A1B2C3D4E5F6', printed: { 'hex-be': '04A1B2C3D4E5F6', 'hex-le': 'F6E5D4C3B2A104' } },
  // EM4100: version byte + 32-bit number; decimal readers print the 32-bit number only
  { uid: '0112345678', printed: { 'hex-be': '0112345678', 'decimal-10': '0305419896' } },
]

describe('UID normalisation: every reader format of a known card gives the same canonical UID', () => {
  for (const card of CARDS) {
    for (const [format, text] of Object.entries(card.printed) as Array<[TextUidFormat, string]>) {
      const expected = format === 'decimal-8' ? w26Of(card.uid) : format === 'decimal-10' && card.uid.length === 10 ? card.uid.slice(2) : card.uid
      it(`${card.uid} read as ${format} "${text}" -> ${expected}`, () => {
        expect(uidFromText(text, format, { exact: true })).toEqual({ ok: true, uid: expected })
      })
      it(`${card.uid} printed as ${format} is "${text}"`, () => {
        expect(printUid(card.uid, format)).toBe(text)
      })
    }
  }

  it('the two decimal readers of the task brief agree on card 0x12345678', () => {
    const be = uidFromText('0305419896', 'decimal-10')
    const le = uidFromText('2018915346', 'decimal-10-le')
    expect(be).toEqual({ ok: true, uid: '12345678' })
    expect(le).toEqual(be)
  })

  it('W26: facility 52 card 22136 is 0x345678 and loses the top byte', () => {
    expect(uidFromText('05222136', 'decimal-8')).toEqual({ ok: true, uid: 'W26:345678' })
    expect(uidFromText('052,22136', 'decimal-8')).toEqual({ ok: true, uid: 'W26:345678' })
    expect(uidFromText('52,22136', 'decimal-8')).toEqual({ ok: true, uid: 'W26:345678' })
    // 0x00345678 and 0x12345678 are different cards with the same W26 key
    expect(w26Of('00345678')).toBe('W26:345678')
    expect(w26Of('12345678')).toBe('W26:345678')
    expect(uidFromText('05222136', 'decimal-8')).not.toEqual(uidFromText('0305419896', 'decimal-10'))
  })
})

describe('UID normalisation: leading zeros, case and separators', () => {
  it.each([
    ['305419896', 'decimal-10', '12345678'],
    ['  0305419896\n', 'decimal-10', '12345678'],
    ['5222136', 'decimal-8', 'W26:345678'],
    ['345678', 'hex-be', '00345678'],
    ['4a1b2c3', 'hex-be', '04A1B2C3'],
    ['04:a1:b2:c3', 'hex-be', '04A1B2C3'],
    ['04 A1 B2 C3 D4 E5 F6', 'hex-be', '04A1B2C3D4E5F6'],
    // a reversed reader dropping the zero of its top printed byte (the card's last byte)
    ['563412', 'hex-le', '12345600'],
    ['12345678901', 'hex-be', '00012345678901'],
  ] as Array<[string, TextUidFormat, string]>)('"%s" as %s -> %s', (text, format, uid) => {
    expect(uidFromText(text, format)).toEqual({ ok: true, uid })
  })

  it('reader text must be full width, so a lost keystroke is refused rather than misread', () => {
    expect(uidFromText('305419896', 'decimal-10', { exact: true })).toMatchObject({ ok: false, error: 'bad-format' })
    expect(uidFromText('5222136', 'decimal-8', { exact: true })).toMatchObject({ ok: false, error: 'bad-format' })
    expect(uidFromText('4A1B2C3', 'hex-be', { exact: true })).toMatchObject({ ok: false, error: 'bad-format' })
    expect(uidFromText('123456789012', 'hex-be', { exact: true })).toMatchObject({ ok: false, error: 'bad-format' })
    expect(uidFromText('052,22136', 'decimal-8', { exact: true })).toEqual({ ok: true, uid: 'W26:345678' })
  })
})

describe('UID normalisation: refusals', () => {
  it.each([
    ['4294967296', 'decimal-10', 'out-of-range'],
    ['99999999999', 'decimal-10', 'bad-format'],
    ['03054198x6', 'decimal-10', 'bad-format'],
    ['', 'decimal-10', 'bad-format'],
    ['25665535', 'decimal-8', 'out-of-range'],
    ['25565536', 'decimal-8', 'out-of-range'],
    ['123456789', 'decimal-8', 'bad-format'],
    ['1,2,3', 'decimal-8', 'bad-format'],
    ['0x12345678', 'hex-be', 'bad-format'],
    ['0'.repeat(21), 'hex-le', 'bad-format'],
    ['xyz', 'hex-le', 'bad-format'],
  ] as Array<[string, TextUidFormat, string]>)('"%s" as %s is %s', (text, format, error) => {
    expect(uidFromText(text, format)).toMatchObject({ ok: false, error })
  })
})

describe('UID bytes from vendor readers', () => {
  it('card order and reversed order give the same canonical UID', () => {
    expect(uidFromBytes([0x12, 0x34, 0x56, 0x78], 'bytes-be')).toEqual({ ok: true, uid: '12345678' })
    expect(uidFromBytes(new Uint8Array([0x78, 0x56, 0x34, 0x12]), 'bytes-le')).toEqual({ ok: true, uid: '12345678' })
    expect(uidFromBytes([0xf6, 0xe5, 0xd4, 0xc3, 0xb2, 0xa1, 0x04], 'bytes-le')).toEqual({ ok: true, uid: '04A1B2C3D4E5F6' })
    expect(uidFromBytes(new Uint8Array(10).fill(0xab), 'bytes-be')).toEqual({ ok: true, uid: 'AB'.repeat(10) })
  })

  it.each([0, 1, 3, 6, 8, 9, 11])('refuses a UID of %i bytes', (n) => {
    expect(uidFromBytes(new Uint8Array(n), 'bytes-be')).toMatchObject({ ok: false, error: 'bad-length' })
  })
})

describe('canonical UIDs and their aliases', () => {
  it('recognises canonical strings only', () => {
    for (const ok of ['12345678', '0112345678', '04A1B2C3D4E5F6', 'AB'.repeat(10), 'W26:345678']) expect(isCanonicalUid(ok)).toBe(true)
    for (const bad of ['1234567', '123456789', '04a1b2c3', 'W26:34567', 'w26:345678', '', '0x12345678']) expect(isCanonicalUid(bad)).toBe(false)
  })

  it('a stored card is found by its UID, its 32-bit number (EM4100) and its W26 key', () => {
    expect(uidAliases('12345678')).toEqual(['12345678', 'W26:345678'])
    expect(uidAliases('0112345678')).toEqual(['0112345678', '12345678', 'W26:345678'])
    expect(uidAliases('04A1B2C3D4E5F6')).toEqual(['04A1B2C3D4E5F6'])
    expect(uidAliases('W26:345678')).toEqual(['W26:345678'])
    expect(uidAliases('nonsense')).toEqual([])
  })

  it('prints nothing a reader could not have printed', () => {
    expect(printUid('04A1B2C3D4E5F6', 'decimal-10')).toBeNull()
    expect(printUid('04A1B2C3D4E5F6', 'decimal-8')).toBeNull()
    expect(printUid('W26:345678', 'decimal-10')).toBeNull()
    expect(printUid('W26:345678', 'hex-be')).toBeNull()
    expect(printUid('W26:345678', 'decimal-8')).toBe('05222136')
    expect(printUid('bad', 'hex-be')).toBeNull()
  })

  it('every text format round-trips a 4-byte UID', () => {
    for (const uid of ['00000000', '12345678', 'FFFFFFFF', '80000001']) {
      for (const f of TEXT_UID_FORMATS) {
        const text = printUid(uid, f) ?? ''
        const back = uidFromText(text, f, { exact: true })
        expect(back).toEqual({ ok: true, uid: f === 'decimal-8' ? w26Of(uid) : uid })
      }
    }
  })
})
