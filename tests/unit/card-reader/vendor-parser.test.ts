import { describe, expect, it } from 'vitest'
import { toHex } from '@shared/domain/hex'
import type { ParserEvent } from '../../../electron/card-reader/parser-types'
import { checkByte, VendorReportParser, type VendorParserOptions } from '../../../electron/card-reader/vendor-parser'

const LAYOUT: VendorParserOptions = { reportId: 1, lengthByteOffset: 2, uidOffset: 3, maxUidLength: 10, checksum: 'xor', repeatSuppressMs: 1000 }
const CARD = [0x12, 0x34, 0x56, 0x78]

/** A 16-byte report of the example layout: [id, status, length, uid..., xor, zeros]. */
function report(uid: number[], opts: { id?: number; length?: number; check?: number; size?: number } = {}): Uint8Array {
  const length = opts.length ?? uid.length
  const body = [length, ...uid]
  const bytes = [opts.id ?? 1, 0, ...body, opts.check ?? checkByte('xor', new Uint8Array(body))]
  const r = new Uint8Array(Math.max(opts.size ?? 16, 0))
  r.set(bytes.slice(0, r.length))
  return r
}
const NO_CARD = report([], { length: 0 })

function uids(events: ParserEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'read' && e.read.kind === 'bytes' ? [toHex(e.read.bytes)] : []))
}

describe('vendor report parser', () => {
  it('reads a length-prefixed UID with its check byte', () => {
    const p = new VendorReportParser(LAYOUT)
    const events = p.feed(report(CARD), 5)
    expect(events).toMatchObject([{ type: 'read', at: 5 }])
    expect(uids(events)).toEqual(['12345678'])
    expect(toHex(events[0]?.reports[0] ?? [])).toBe('01000412345678' + '0C' + '00'.repeat(8))
  })

  it('no-card reports are silent; a card left on the reader is one swipe until lifted or quiet for the suppress time', () => {
    const p = new VendorReportParser(LAYOUT)
    const t = [NO_CARD, report(CARD), report(CARD), report(CARD), NO_CARD, report(CARD)]
    expect(uids(t.flatMap((r, i) => p.feed(r, i * 100)))).toEqual(['12345678', '12345678'])
    expect(uids(p.feed(report(CARD), 500 + 999))).toEqual([])
    expect(uids(p.feed(report(CARD), 1499 + 1000))).toEqual(['12345678'])
  })

  it('a different card right after is a new swipe', () => {
    const p = new VendorReportParser(LAYOUT)
    const seven = [0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6]
    expect(uids([...p.feed(report(CARD), 0), ...p.feed(report(seven), 50), ...p.feed(report(CARD), 100)])).toEqual([
      '12345678',
      '04A1B2C3D4E5F6',
      '12345678',
    ])
  })

  it.each([
    ['checksum', report(CARD, { check: 0x00 })],
    ['bad-length', report(CARD, { length: 11 })],
    ['truncated', report(CARD, { size: 7 })],
    ['truncated', report(Array(10).fill(1), { size: 13 })],
    ['malformed-report', new Uint8Array([1, 0])],
  ])('refuses %s', (reason, bytes) => {
    const events = new VendorReportParser(LAYOUT).feed(bytes, 0)
    expect(events).toMatchObject([{ type: 'rejected', reason }])
    expect(events[0]?.type === 'rejected' && events[0].detail).toContain(toHex(bytes))
  })

  it('ignores reports with another report ID', () => {
    expect(new VendorReportParser(LAYOUT).feed(report(CARD, { id: 2 }), 0)).toEqual([])
  })

  it('sum8 check bytes, and layouts without a report ID or check byte', () => {
    const sum = new VendorReportParser({ ...LAYOUT, reportId: undefined, lengthByteOffset: 0, uidOffset: 1, checksum: 'sum8' })
    const body = [4, ...CARD]
    expect(uids(sum.feed(new Uint8Array([...body, checkByte('sum8', new Uint8Array(body)), 0, 0]), 0))).toEqual(['12345678'])
    expect(checkByte('sum8', new Uint8Array([0xff, 0x02]))).toBe(0x01)
    const plain = new VendorReportParser({ ...LAYOUT, reportId: undefined, lengthByteOffset: 0, uidOffset: 1, checksum: 'none' })
    expect(uids(plain.feed(new Uint8Array([4, ...CARD]), 0))).toEqual(['12345678'])
  })

  it('has no timers, and abort forgets the card on the reader', () => {
    const p = new VendorReportParser(LAYOUT)
    p.feed(report(CARD), 0)
    expect(p.deadline()).toBeNull()
    expect(p.tick()).toEqual([])
    expect(p.abort()).toEqual([])
    expect(uids(p.feed(report(CARD), 10))).toEqual(['12345678'])
  })
})
