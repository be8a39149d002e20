import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadReaderProfiles, parseReaderProfiles } from '../../../electron/card-reader/load-profiles'
import { findProfile, profileMatches, ReaderProfile, ReaderProfileList } from '../../../electron/card-reader/reader-profile'
import { createParser, decodeRead } from '../../../electron/card-reader/report-parser'
import { KeyboardReportParser } from '../../../electron/card-reader/keyboard-parser'
import { VendorReportParser } from '../../../electron/card-reader/vendor-parser'

const BUNDLED = path.join(__dirname, '../../../resources/reader-profiles/profiles.json')

const keyboard = {
  id: 'kb',
  name: 'keyboard reader',
  vendorId: '0xffff',
  productId: '0x0035',
  usagePage: '0x0001',
  usage: 6,
  kind: 'keyboard',
  uidFormat: 'decimal-10',
} as const
const vendor = {
  id: 'vendor',
  name: 'vendor reader',
  vendorId: 0x1a2b,
  productId: 0x3c4d,
  usagePage: '0xff00',
  kind: 'vendor',
  uidFormat: 'bytes-le',
  lengthByteOffset: 0,
  uidOffset: 1,
  maxUidLength: 7,
} as const

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function tempFile(name: string, content: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-profiles-'))
  dirs.push(d)
  const f = path.join(d, name)
  fs.writeFileSync(f, content)
  return f
}

describe('reader profiles', () => {
  it('the bundled profiles.json is valid and has a keyboard and a vendor reader', () => {
    const profiles = parseReaderProfiles(fs.readFileSync(BUNDLED, 'utf8'), BUNDLED)
    expect(profiles.length).toBeGreaterThanOrEqual(2)
    const em = profiles.find((p) => p.id === 'usb-id-reader-em4100-10d')
    expect(em).toMatchObject({ kind: 'keyboard', vendorId: 0xffff, productId: 0x0035, uidFormat: 'decimal-10', keyTimeoutMs: 500 })
    const v = profiles.find((p) => p.kind === 'vendor')
    expect(v).toMatchObject({ usagePage: 0xff00, uidFormat: 'bytes-be', checksum: 'xor' })
    for (const p of profiles) expect(p.note).toBeTruthy()
  })

  it('reads hex strings and numbers, and fills defaults', () => {
    expect(ReaderProfile.parse(keyboard)).toEqual({ ...keyboard, vendorId: 0xffff, productId: 0x35, usagePage: 1, keyTimeoutMs: 500 })
    expect(ReaderProfile.parse(vendor)).toMatchObject({ usagePage: 0xff00, checksum: 'none', repeatSuppressMs: 1000 })
  })

  it.each([
    ['a kebab-case id', { ...keyboard, id: 'Not Kebab' }, 'id'],
    ['hex numbers with 0x', { ...keyboard, vendorId: 'ffff' }, 'vendorId'],
    ['16-bit numbers', { ...keyboard, productId: 0x10000 }, 'productId'],
    ['a text format for keyboard readers', { ...keyboard, uidFormat: 'bytes-be' }, 'uidFormat'],
    ['a byte format for vendor readers', { ...vendor, uidFormat: 'decimal-10' }, 'uidFormat'],
    ['a known kind', { ...keyboard, kind: 'serial' }, 'kind'],
    ['the UID after the length byte', { ...vendor, uidOffset: 0 }, 'uidOffset'],
    ['UIDs of at most 10 bytes', { ...vendor, maxUidLength: 11 }, 'maxUidLength'],
    ['no unknown fields', { ...keyboard, lengthByteOffset: 1 }, ''],
  ])('wants %s', (_what, input, field) => {
    const r = ReaderProfile.safeParse(input)
    expect(r.success).toBe(false)
    if (field) expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(field)
  })

  it('refuses duplicate ids in one list', () => {
    const r = ReaderProfileList.safeParse([keyboard, { ...vendor, id: 'kb' }])
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toContain('duplicate profile id "kb"')
  })

  it('parse errors name the file and the field', () => {
    expect(() => parseReaderProfiles('{', 'x.json')).toThrow(/^x\.json: not JSON/)
    expect(() => parseReaderProfiles(JSON.stringify([{ ...keyboard, vendorId: -1 }]), 'x.json')).toThrow(/^x\.json: 0\.vendorId: /)
    expect(() => parseReaderProfiles('{}', 'x.json')).toThrow(/^x\.json: \(root\): /)
  })

  it('loads files in priority order, skipping missing ones; an earlier id wins', async () => {
    const learned = tempFile('learned.json', JSON.stringify([{ ...keyboard, name: 'learned' }]))
    const bundled = tempFile('bundled.json', JSON.stringify([keyboard, vendor]))
    const profiles = await loadReaderProfiles([path.join(path.dirname(learned), 'missing.json'), learned, bundled])
    expect(profiles.map((p) => [p.id, p.name])).toEqual([
      ['kb', 'learned'],
      ['vendor', 'vendor reader'],
    ])
    await expect(loadReaderProfiles([path.dirname(learned)])).rejects.toThrow(/EISDIR/)
  })

  it('matches devices by VID/PID, and by usage only where both sides know it', () => {
    const p = ReaderProfile.parse(keyboard)
    const dev = { path: 'p', vendorId: 0xffff, productId: 0x35, usagePage: 1, usage: 6 }
    expect(profileMatches(p, dev)).toBe(true)
    expect(profileMatches(p, { ...dev, usagePage: undefined, usage: undefined })).toBe(true)
    expect(profileMatches(p, { ...dev, productId: 0x36 })).toBe(false)
    expect(profileMatches(p, { ...dev, vendorId: 0xfffe })).toBe(false)
    expect(profileMatches(p, { ...dev, usagePage: 0xff00 })).toBe(false)
    expect(profileMatches(p, { ...dev, usage: 2 })).toBe(false)
    const v = ReaderProfile.parse(vendor)
    expect(findProfile([v, p], dev)).toBe(p)
    expect(findProfile([v], dev)).toBeUndefined()
  })

  it('makes the parser of its kind and decodes only reads of its kind', () => {
    const k = ReaderProfile.parse(keyboard)
    const v = ReaderProfile.parse(vendor)
    expect(createParser(k)).toBeInstanceOf(KeyboardReportParser)
    expect(createParser(v)).toBeInstanceOf(VendorReportParser)
    expect(decodeRead(k, { kind: 'text', text: '0305419896' })).toEqual({ ok: true, uid: '12345678' })
    expect(decodeRead(v, { kind: 'bytes', bytes: new Uint8Array([0x78, 0x56, 0x34, 0x12]) })).toEqual({ ok: true, uid: '12345678' })
    expect(decodeRead(k, { kind: 'bytes', bytes: new Uint8Array(4) })).toMatchObject({ ok: false, error: 'bad-format' })
    expect(decodeRead(v, { kind: 'text', text: '1' })).toMatchObject({ ok: false, error: 'bad-format' })
  })
})
