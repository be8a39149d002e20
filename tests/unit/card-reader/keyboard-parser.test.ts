import { describe, expect, it } from 'vitest'
import { keyMeaning } from '../../../electron/card-reader/hid-keys'
import { KeyboardReportParser } from '../../../electron/card-reader/keyboard-parser'
import type { ParserEvent } from '../../../electron/card-reader/parser-types'

const ENTER = 0x28
const UP = report()
// usage IDs of '0'..'9' (HID Usage Tables, keyboard page)
const DIGIT: Record<string, number> = { '1': 0x1e, '2': 0x1f, '3': 0x20, '4': 0x21, '5': 0x22, '6': 0x23, '7': 0x24, '8': 0x25, '9': 0x26, '0': 0x27 }

function report(keys: number[] = [], modifiers = 0): Uint8Array {
  const r = new Uint8Array(8)
  r[0] = modifiers
  keys.forEach((k, i) => (r[i + 2] = k))
  return r
}

/** Reports a reader sends for `text`: key down and key up for each character, then Enter. */
function typed(text: string, enter = true): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const c of text) out.push(report([DIGIT[c] ?? 0]), UP)
  if (enter) out.push(report([ENTER]), UP)
  return out
}

/** Feeds reports `step` ms apart from `start`; returns every event. */
function feed(parser: KeyboardReportParser, reports: Uint8Array[], start = 0, step = 8): ParserEvent[] {
  return reports.flatMap((r, i) => parser.feed(r, start + i * step))
}

function texts(events: ParserEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'read' && e.read.kind === 'text' ? [e.read.text] : []))
}

function reasons(events: ParserEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'rejected' ? [e.reason] : []))
}

const parser = () => new KeyboardReportParser({ keyTimeoutMs: 500 })

describe('keyboard report parser', () => {
  it('reads digits up to Enter and keeps the reports of the read', () => {
    const p = parser()
    const events = feed(p, typed('0305419896'))
    expect(texts(events)).toEqual(['0305419896'])
    const read = events[0]
    expect(read?.type === 'read' && read.reports.length).toBe(21)
    expect(read?.at).toBe(20 * 8)
    expect(p.deadline()).toBeNull()
  })

  it('types a key held over several reports once, and the same digit twice when released in between', () => {
    const p = parser()
    const held = [report([0x27]), report([0x27]), report([0x27]), UP, report([0x27]), UP, report([0x1e]), report([0x1e, 0x1f]), report([0x1f]), report([ENTER])]
    expect(texts(feed(p, held))).toEqual(['0012'])
  })

  it('keypad digits and keypad Enter count like the main keys', () => {
    const keypad = [0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62].flatMap((k) => [report([k]), UP])
    expect(texts(feed(parser(), [...keypad, report([0x58])]))).toEqual(['1234567890'])
  })

  it('Shift makes hex letters capitals; modifier usages in key slots are not keys', () => {
    const events = feed(parser(), [report([0x04], 0x02), UP, report([0x09], 0x20), UP, report([0x05]), UP, report([0xe1]), report([0x27, 0xe1]), UP, report([ENTER])])
    expect(texts(events)).toEqual(['AFb0'])
  })

  it('ignores ErrorRollOver reports without losing what is held', () => {
    const events = feed(parser(), [report([0x1e]), report(Array(6).fill(0x01)), report([0x1e]), UP, report([0x1f]), UP, report([ENTER])])
    expect(texts(events)).toEqual(['12'])
  })

  it('an Enter with nothing typed, or an extra Enter, is not a read', () => {
    const events = feed(parser(), [report([ENTER]), UP, ...typed('12'), report([ENTER]), UP])
    expect(texts(events)).toEqual(['12'])
    expect(reasons(events)).toEqual([])
  })

  it('two reads in quick succession stay apart', () => {
    const events = feed(parser(), [...typed('0305419896'), ...typed('0077705923')])
    expect(texts(events)).toEqual(['0305419896', '0077705923'])
  })

  it('a read left without Enter times out at the deadline, reporting what it had', () => {
    const p = parser()
    expect(feed(p, typed('03054', false))).toEqual([])
    const lastKey = 8 * 8
    expect(p.deadline()).toBe(lastKey + 500)
    expect(p.tick(lastKey + 499)).toEqual([])
    const [e] = p.tick(lastKey + 500)
    expect(e).toMatchObject({ type: 'rejected', reason: 'timeout', detail: 'no Enter after "03054"' })
    expect(p.deadline()).toBeNull()
  })

  it('a key after the timeout starts a new read (the stale one is reported first)', () => {
    const p = parser()
    feed(p, typed('999', false))
    const events = feed(p, typed('12'), 2000)
    expect(reasons(events)).toEqual(['timeout'])
    expect(texts(events)).toEqual(['12'])
  })

  it('slow but steady keys (under the timeout each) are still one read', () => {
    expect(texts(feed(parser(), typed('123456'), 0, 200))).toEqual(['123456'])
  })

  it('a key no reader types spoils the read: refused at Enter, not turned into a wrong UID', () => {
    const events = feed(parser(), [...typed('030', false), report([0x3e]), UP, ...typed('5')])
    expect(texts(events)).toEqual([])
    expect(events).toMatchObject([{ type: 'rejected', reason: 'unexpected-key', detail: 'usage 0x3e in 00003E0000000000' }])
  })

  it('a garbage usage alone starts a read that is refused at Enter', () => {
    expect(reasons(feed(parser(), [report([0xff]), UP, report([ENTER])]))).toEqual(['unexpected-key'])
  })

  it('refuses a malformed report: at once when idle, at Enter when inside a read', () => {
    const p = parser()
    expect(reasons(p.feed(new Uint8Array([0, 0, 0x27]), 0))).toEqual(['malformed-report'])
    const events = feed(p, [report([0x1e]), UP, new Uint8Array(9), report([0x1f]), UP, report([ENTER])], 10)
    expect(events).toMatchObject([{ type: 'rejected', reason: 'malformed-report' }])
    expect(events[0]?.reports).toHaveLength(6)
  })

  it('refuses a read longer than any UID', () => {
    expect(reasons(feed(parser(), typed(Array.from({ length: 40 }, (_, i) => String(i % 10)).join(''))))).toEqual(['too-long'])
  })

  it('abort reports a partial read as disconnected and forgets held keys', () => {
    const p = parser()
    feed(p, [report([0x1e]), UP, report([0x1f])])
    expect(p.abort(100)).toMatchObject([{ type: 'rejected', reason: 'disconnected', detail: 'reader gone after "12"', at: 100 }])
    expect(p.abort(101)).toEqual([])
    // '2' was held at the abort; after it, the same key down again is a new key
    expect(texts(feed(p, [report([0x1f]), UP, report([ENTER])], 200))).toEqual(['2'])
  })

  it('with a report ID, strips it and ignores reports with other IDs', () => {
    const p = new KeyboardReportParser({ reportId: 1, keyTimeoutMs: 500 })
    const withId = (r: Uint8Array) => new Uint8Array([1, ...r])
    const events = feed(p, [withId(report([0x1e])), withId(UP), new Uint8Array([2, 0, 0, 0x1f, 0, 0, 0, 0, 0]), withId(report([ENTER]))])
    expect(texts(events)).toEqual(['1'])
  })
})

describe('HID keyboard usages', () => {
  it.each([
    [0x1e, false, '1'],
    [0x27, false, '0'],
    [0x1e, true, '!'],
    [0x27, true, ')'],
    [0x04, false, 'a'],
    [0x1d, true, 'Z'],
    [0x36, false, ','],
    [0x2d, true, '_'],
    [0x62, true, '0'],
  ])('usage 0x%s (shift %s) types %s', (usage, shift, char) => {
    expect(keyMeaning(usage, shift)).toEqual({ kind: 'char', char })
  })

  it('knows Enter, ignorable usages and unknown keys', () => {
    expect(keyMeaning(0x28, false)).toEqual({ kind: 'enter' })
    expect(keyMeaning(0x58, true)).toEqual({ kind: 'enter' })
    for (const u of [0x00, 0x01, 0x02, 0x03, 0xe0, 0xe7]) expect(keyMeaning(u, false)).toEqual({ kind: 'ignore' })
    for (const u of [0x29, 0x3a, 0x4f, 0x63, 0xe8, 0xff]) expect(keyMeaning(u, false)).toEqual({ kind: 'unknown' })
  })
})
