import { describe, expect, it } from 'vitest'
import { foldKey, foldKeyPasses, FOLDS_BY_CASE_ONLY, MAX_MARKS, normalizeText, normalizeTextPasses, PLAIN_TEXT, textField, textProblem, type TextKind, type TextReason } from '@shared/domain/text-kinds'
import { orgNameKey } from '../../electron/host/domains/clients/client-columns'
import { foldSearchText } from '../../electron/host/domains/clients/search-terms'

const STORED: TextKind[] = ['name', 'line', 'note', 'code', 'username']

/** What a field of this kind does with the raw text: the stored value, or the reason it is refused. */
function read(kind: TextKind, raw: string, max = 80): { ok: true; value: string } | { ok: false; reason: string; char?: unknown } {
  const r = textField(kind, max).safeParse(raw)
  if (r.success) return { ok: true, value: r.data }
  const issue = r.error.issues[0]!
  const params = (issue as { params?: { reason?: string; char?: string } }).params
  return { ok: false, reason: params?.reason ?? issue.code, char: params?.char }
}

describe('text kinds: hostile input', () => {
  // [what, raw, expected per kind: a stored value, or the reason it is refused]
  const table: Array<[string, string, Partial<Record<TextKind, string | { refused: TextReason; char?: string }>>]> = [
    ['zero-width space (U+200B) is a paste artefact: dropped', '张\u200B伟', { name: '张伟', line: '张伟', note: '张伟', code: '张伟', username: '张伟', query: '张伟' }],
    ['byte-order mark (U+FEFF) dropped', '\uFEFFAcme', { name: 'Acme', line: 'Acme', note: 'Acme', code: 'Acme', username: 'Acme' }],
    ['soft hyphen and word joiner dropped', 'Wang\u00ADLi\u2060', { name: 'WangLi', code: 'WangLi' }],
    ['right-to-left override (U+202E) refused', 'abc\u202Egpj.exe', { name: { refused: 'bidi_char', char: 'U+202E' }, line: { refused: 'bidi_char' }, note: { refused: 'bidi_char' }, code: { refused: 'bidi_char' }, username: { refused: 'bidi_char' }, query: 'abc gpj.exe' }],
    ['left-to-right mark (U+200E) refused', '王\u200E五', { name: { refused: 'bidi_char', char: 'U+200E' }, note: { refused: 'bidi_char' } }],
    ['NUL (U+0000) refused', 'a\u0000b', { name: { refused: 'control_char', char: 'U+0000' }, note: { refused: 'control_char' }, code: { refused: 'control_char' }, query: 'a b' }],
    ['BEL (U+0007) refused', '\u0007ding', { line: { refused: 'control_char', char: 'U+0007' }, username: { refused: 'control_char' } }],
    ['C1 control (U+0085 is a line break, U+009B is not)', 'a\u009Bb', { line: { refused: 'control_char', char: 'U+009B' } }],
    ['line separator (U+2028): a new line in a note, refused on one line', 'first\u2028second', { note: 'first\nsecond', line: { refused: 'line_break', char: 'U+000A' }, name: { refused: 'line_break' }, query: 'first second' }],
    ['CRLF in a note becomes LF', '第一行\r\n第二行\r第三行', { note: '第一行\n第二行\n第三行', line: { refused: 'line_break' } }],
    ['tab: a space on one line, a tab in a note', 'a\tb', { line: 'a b', note: 'a\tb', name: 'a b' }],
    ['invisible format character (U+2062) refused', 'x\u2062y', { line: { refused: 'invisible_char', char: 'U+2062' }, name: { refused: 'invisible_char' } }],
    ['tag character (U+E0041) refused', 'hi\u{E0041}', { line: { refused: 'invisible_char', char: 'U+E0041' } }],
    ['Hangul filler (U+3164) looks blank: refused', '\u3164', { name: { refused: 'invisible_char', char: 'U+3164' }, line: { refused: 'invisible_char' } }],
    ['private use (U+E000) refused', 'a\uE000', { line: { refused: 'unassigned_char', char: 'U+E000' } }],
    ['lone surrogate refused', 'a\uD800b', { line: { refused: 'unassigned_char', char: 'U+D800' }, name: { refused: 'unassigned_char' } }],
    ['noncharacter (U+FFFF) refused', 'a\uFFFF', { line: { refused: 'unassigned_char', char: 'U+FFFF' } }],
    ['combining sequence composes (NFC)', 'Jose\u0301', { name: 'José', line: 'José', code: 'José' }],
    ['a mark on nothing is refused', '\u0301abc', { name: { refused: 'combining_char', char: 'U+0301' }, line: { refused: 'combining_char' } }],
    ['Zalgo: marks stacked past the limit refused', `Z${'\u0336\u0337\u0338\u0339\u033A'.slice(0, MAX_MARKS + 1)}algo`, { name: { refused: 'combining_char' }, note: { refused: 'combining_char' } }],
    ['full-width letters and digits to half width', 'ＡＢＣ１２３', { name: 'ABC123', line: 'ABC123', note: 'ABC123', code: 'ABC123', username: 'ABC123' }],
    ['Chinese punctuation kept in text, folded in codes', '上海（浦东）：好，是！', { name: '上海（浦东）：好，是！', line: '上海（浦东）：好，是！', note: '上海（浦东）：好，是！', code: { refused: 'char_not_allowed' } }],
    ['full-width symbols that mean the same are folded', '３～５＃楼', { line: '3~5#楼', code: { refused: 'char_not_allowed' } }],
    ['ideographic space: one space on a line, kept in a note', '张\u3000\u3000三\u3000路', { name: '张 三 路', line: '张 三 路', note: '张\u3000\u3000三\u3000路' }],
    ['inner runs of spaces collapse on a line, not in a note', '  a   b\u00A0\u00A0c  ', { line: 'a b c', name: 'a b c', note: 'a   b  c' }],
    ['emoji: fine in a note, not in a name', '小王😊', { note: '小王😊', line: '小王😊', name: { refused: 'char_not_allowed', char: 'U+1F60A' } }],
    ['an emoji family keeps its joiners', '👨\u200D👩\u200D👧', { note: '👨\u200D👩\u200D👧' }],
    ['a joiner between letters is dropped', 'a\u200Db', { line: 'ab', name: 'ab' }],
    ['names take dots, apostrophes, hyphens and brackets', "阿卜杜·买买提 O'Neil-Smith (HK) & Co.", { name: "阿卜杜·买买提 O'Neil-Smith (HK) & Co." }],
  ]

  for (const [what, raw, expected] of table) {
    it(what, () => {
      for (const [kind, want] of Object.entries(expected) as Array<[TextKind, string | { refused: TextReason; char?: string }]>) {
        const got = read(kind, raw)
        if (typeof want === 'string') expect(got, `${kind}: ${JSON.stringify(raw)}`).toEqual({ ok: true, value: want })
        else expect(got, `${kind}: ${JSON.stringify(raw)}`).toMatchObject({ ok: false, reason: want.refused, ...(want.char ? { char: want.char } : {}) })
      }
    })
  }

  it('very long input is refused as too long without being read', () => {
    for (const kind of STORED) {
      expect(read(kind, 'a'.repeat(81), 80), kind).toMatchObject({ ok: false, reason: 'too_big' })
      expect(read(kind, `\u202E${'a'.repeat(10_000_000)}`, 80), kind).toMatchObject({ ok: false, reason: 'too_big' })
    }
    // what is stripped does not count: 80 letters with zero-width spaces between them fit
    expect(read('name', Array.from({ length: 80 }, () => '张').join('\u200B'), 80)).toMatchObject({ ok: true })
  })

  it('a text of nothing but invisible characters is empty, so a required field is missing', () => {
    expect(textField('name', 80, 1).safeParse('\u200B\uFEFF \u3000').error?.issues[0]).toMatchObject({ code: 'too_small', minimum: 1 })
  })

  it('normalising twice changes nothing', () => {
    for (const [, raw] of table) {
      for (const kind of [...STORED, 'query'] as TextKind[]) {
        const once = normalizeText(kind, raw)
        expect(normalizeText(kind, once), `${kind}: ${JSON.stringify(raw)}`).toBe(once)
      }
    }
  })

  it('every stored value passes its own kind', () => {
    for (const [, raw] of table) {
      for (const kind of STORED) {
        const once = normalizeText(kind, raw)
        if (textProblem(kind, once) === null) expect(read(kind, once), kind).toEqual({ ok: true, value: once })
      }
    }
  })
})

describe('keys: a stored name and a typed query fold the same', () => {
  it.each([
    ['张\u200B伟', '张伟'],
    ['Ａｃｍｅ\u202E', 'acme'],
    ['ＺＨＡＮＧ WEI', 'zhangwei'],
    ['\uFEFF李\u00AD四\u2060', '李四'],
  ])('%j folds as %j', (stored, plain) => {
    expect(foldSearchText(stored)).toBe(foldSearchText(plain))
    expect(foldKey(stored)).toBe(plain)
  })

  it('an org name with a zero-width space or full-width letters has the plain name’s key', () => {
    const plain = orgNameKey('上海锦华置业有限公司')
    expect(orgNameKey('上海锦华\u200B置业有限公司')).toBe(plain)
    expect(orgNameKey('上海锦华置业有限公司\u200B')).toBe(plain)
    expect(orgNameKey('上海 锦华\u2060置业 有限公司')).toBe(plain)
    expect(orgNameKey('ＡＢＣ Trading Co., Ltd.')).toBe(orgNameKey('abc trading co ltd'))
  })
})

describe('text kinds: the plain-text shortcut', () => {
  const KINDS: TextKind[] = [...STORED, 'query']
  const plainChars = [...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)), ...Array.from({ length: 0x9fff - 0x4e00 + 1 }, (_, i) => String.fromCharCode(0x4e00 + i))]

  it('skips only text every pass keeps as it is: each plain character, and random plain sentences', () => {
    // every pass works character by character (trim and doubled spaces aside), so words of many characters test each of them
    const words: string[] = []
    for (let i = 0; i < plainChars.length; i += 64) words.push(plainChars.slice(i, i + 64).join(''))
    const all = words.join(' ')
    expect(PLAIN_TEXT.test(all)).toBe(true)
    for (const kind of KINDS) expect(normalizeTextPasses(kind, all)).toBe(all)
    // foldKey's shortcut: the same characters without spaces only change case
    const joined = words.join('')
    expect(FOLDS_BY_CASE_ONLY.test(joined)).toBe(true)
    expect(foldKeyPasses(joined)).toBe(joined.toLowerCase())
    let seed = 7
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    for (let i = 0; i < 2000; i++) {
      const words = Array.from({ length: 1 + next(4) }, () => Array.from({ length: 1 + next(6) }, () => plainChars[next(plainChars.length)]!).join(''))
      const s = words.join(' ')
      expect(PLAIN_TEXT.test(s)).toBe(true)
      for (const kind of KINDS) expect(normalizeTextPasses(kind, s)).toBe(s)
    }
  })

  it('does not take what a pass would change: spaces around or doubled, full width, tabs, zero width, compatibility ideographs', () => {
    for (const s of [' 张伟', '张伟 ', '张  伟', 'ＡＢ', '张\t伟', '张\u200B伟', '\uF900', '張伟\u3000', 'a\nb', 'é']) {
      expect(PLAIN_TEXT.test(s)).toBe(false)
      for (const kind of KINDS) expect(normalizeText(kind, s)).toBe(normalizeTextPasses(kind, s))
      expect(FOLDS_BY_CASE_ONLY.test(s)).toBe(false)
      expect(foldKey(s)).toBe(foldKeyPasses(s))
    }
  })
})
