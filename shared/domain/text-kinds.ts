import { z } from 'zod'

/**
 * What a text field may hold, as people really type and paste it (WeChat, web pages, Word, a
 * Chinese IME with full-width on). Every text input of the API is one of these kinds:
 *
 * | kind     | for                                         | allowed                                    | line breaks | full width -> half width             |
 * |----------|---------------------------------------------|--------------------------------------------|-------------|--------------------------------------|
 * | name     | person and organisation names, contacts     | letters, digits, marks, punctuation, + ~   | refused     | letters, digits, symbols; ，！？：；（） kept |
 * | line     | address, title, reason, label, tag, region  | every visible character                    | refused     | as name                              |
 * | note     | follow-up content, feedback, notes           | every visible character, tab               | kept (\n)   | as name; 　 (U+3000) kept             |
 * | code     | receipt and unit numbers, keys, card text, fax, e-mail | letters, digits, marks, space, - _ . / # : ( ) @ + | refused | all                     |
 * | username | sign-in names (the staff contract adds its pattern) | every visible character            | refused     | all                                  |
 * | query    | search boxes and lookups (never stored)     | anything: what cannot be stored is dropped | to a space  | all                                  |
 *
 * Every kind is NFC-normalised and trimmed; single-line kinds turn tabs and odd spaces into one
 * space. Zero-width paste artefacts (U+200B, U+200C, U+2060, U+FEFF, U+00AD, U+180E, U+034F, and
 * U+200D outside an emoji sequence) are dropped: nobody can see them, so nobody could delete them.
 * What is still there and may not be stored is refused with a reason key (TEXT_REASONS) and the
 * character's code point: control characters, bidi controls (they reorder what is shown), other
 * invisible characters (format characters, blank-looking fillers), private-use and
 * noncharacters, and marks stacked on nothing or more than MAX_MARKS deep.
 */
export type TextKind = 'name' | 'line' | 'note' | 'code' | 'username' | 'query'

/** Why a text is refused; each has zh and en text in the renderer (validation.<reason>). */
export const TEXT_REASONS = ['control_char', 'bidi_char', 'invisible_char', 'unassigned_char', 'combining_char', 'line_break', 'char_not_allowed'] as const
export type TextReason = (typeof TEXT_REASONS)[number]

export interface TextProblem {
  reason: TextReason
  /** the code point at fault, `U+202E` */
  char: string
  /** the character itself, when it is a visible one (char_not_allowed) */
  glyph?: string
}

interface KindRule {
  multiline: boolean
  /** 'ascii': every full-width form to ASCII; 'cjk': the same but Chinese sentence punctuation stays */
  width: 'ascii' | 'cjk'
  /** the characters the kind allows; null: every visible character */
  allowed: RegExp | null
  /** a lookup, never stored: what may not be stored is dropped instead of refused */
  lenient: boolean
}

const KINDS: Record<TextKind, KindRule> = {
  name: { multiline: false, width: 'cjk', allowed: /^[\p{L}\p{M}\p{N}\p{P} +~]$/u, lenient: false },
  line: { multiline: false, width: 'cjk', allowed: null, lenient: false },
  note: { multiline: true, width: 'cjk', allowed: null, lenient: false },
  code: { multiline: false, width: 'ascii', allowed: /^[\p{L}\p{M}\p{N} _\-./#:()@+]$/u, lenient: false },
  username: { multiline: false, width: 'ascii', allowed: null, lenient: false },
  query: { multiline: false, width: 'ascii', allowed: null, lenient: true },
}

/** More combining marks than this on one character is Zalgo text, not a language. */
export const MAX_MARKS = 4

/** ，！？：；（） are how Chinese text is punctuated, not full-width stand-ins for ASCII. */
const CJK_PUNCTUATION = new Set(['\uFF0C', '\uFF01', '\uFF1F', '\uFF1A', '\uFF1B', '\uFF08', '\uFF09'])
const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/g
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g
const ZERO_WIDTH = /[\u200B\u200C\u2060\uFEFF\u00AD\u180E\u034F]/g
/** a zero-width joiner that joins no emoji (👨‍👩‍👧 keeps its joiners) */
const LONE_ZWJ = /(?<![\p{Extended_Pictographic}\u{FE0F}\u{1F3FB}-\u{1F3FF}])\u200D|\u200D(?!\p{Extended_Pictographic})/gu
const BIDI = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/
/** letters and symbols that show as nothing: Hangul fillers, the blank braille pattern */
const BLANK_LOOKALIKES = /^[\u115F\u1160\u3164\uFFA0\u2800]$/

/** Visible ASCII and the common CJK ideographs: none has a full-width, zero-width, line-break, control, NFC or NFKC form to fold. */
const PLAIN_CHAR = '[\\x21-\\x7E\\u4E00-\\u9FFF]'

/** Text no pass of normalizeText changes, for any kind: PLAIN_CHAR words separated by single spaces, nothing around them. */
export const PLAIN_TEXT = new RegExp(`^${PLAIN_CHAR}+(?: ${PLAIN_CHAR}+)*$`)

/** Full-width ASCII forms (common from Chinese IMEs) to ASCII, and the ideographic space to a space. */
export function toHalfWidth(s: string): string {
  return foldWidth(s, 'ascii')
}

function foldWidth(s: string, mode: KindRule['width']): string {
  return s.replace(FULL_WIDTH, (c) => {
    if (c === '\u3000') return mode === 'ascii' ? ' ' : c
    if (mode === 'cjk' && CJK_PUNCTUATION.has(c)) return c
    return String.fromCharCode(c.charCodeAt(0) - 0xfee0)
  })
}

/** Text as a field of this kind stores it (see the table above); refusals are textProblem's. */
export function normalizeText(kind: TextKind, raw: string): string {
  // most of what is typed is already as every kind stores it: one test instead of the passes
  return PLAIN_TEXT.test(raw) ? raw : normalizeTextPasses(kind, raw)
}

/** normalizeText's passes, each text through all of them (exported for the test that PLAIN_TEXT skips only what they keep). */
export function normalizeTextPasses(kind: TextKind, raw: string): string {
  const rule = KINDS[kind]
  let s = foldWidth(raw, rule.width).replace(LINE_BREAKS, '\n').replace(ZERO_WIDTH, '').replace(LONE_ZWJ, '')
  if (rule.lenient) s = s.replace(/[\p{Cc}\p{Cf}\p{Co}]/gu, ' ')
  s = rule.multiline ? s.replace(/(?!\u3000)\p{Zs}/gu, ' ') : s.replace(/[\t\p{Zs}]/gu, ' ')
  s = s.normalize('NFC').trim()
  return rule.multiline ? s : s.replace(/ {2,}/g, ' ')
}

function codePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
}

function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe
}

/** The first thing a normalised text of this kind may not hold, or null when it is fine. */
export function textProblem(kind: TextKind, text: string): TextProblem | null {
  const rule = KINDS[kind]
  if (rule.lenient) return null
  let marks = 0
  let prev = ''
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    const at = (reason: TextReason): TextProblem => ({ reason, char: codePoint(cp) })
    if (ch === '\n') {
      if (!rule.multiline) return at('line_break')
    } else if (ch === '\t' && rule.multiline) {
      // a tab in a note is a tab
    } else if (BIDI.test(ch)) {
      return at('bidi_char')
    } else if (/\p{Cc}/u.test(ch)) {
      return at('control_char')
    } else if (ch === '\u200D') {
      // kept by normalizeText only inside an emoji sequence
    } else if (/\p{Cf}/u.test(ch) || BLANK_LOOKALIKES.test(ch)) {
      return at('invisible_char')
    } else if (/[\p{Co}\p{Cs}]/u.test(ch) || isNoncharacter(cp)) {
      return at('unassigned_char')
    }
    if (/\p{M}/u.test(ch)) {
      marks++
      if (prev === '' || /\s/.test(prev) || marks > MAX_MARKS) return at('combining_char')
    } else {
      marks = 0
      prev = ch
    }
    if (rule.allowed && ch !== '\n' && !rule.allowed.test(ch)) return { ...at('char_not_allowed'), glyph: ch }
  }
  return null
}

const REASON_WORDS: Record<TextReason, string> = {
  control_char: 'control characters are not allowed',
  bidi_char: 'bidirectional-text controls are not allowed',
  invisible_char: 'invisible characters are not allowed',
  unassigned_char: 'private-use and unassigned characters are not allowed',
  combining_char: 'combining marks must sit on a letter, at most 4 deep',
  line_break: 'line breaks are not allowed here',
  char_not_allowed: 'this character is not allowed here',
}

/** Past this many raw characters a field is too long whatever normalising would strip: refuse it unread. */
function rawCap(max: number): number {
  return max * 4 + 64
}

/**
 * A contract field of one text kind: normalised (see normalizeText), then refused with a reason
 * key and the code point (VALIDATION naming the field), then checked for length as stored.
 */
export function textField(kind: TextKind, max: number, min?: number): z.ZodString {
  const field = z
    .string()
    .overwrite((v) => (v.length > rawCap(max) ? v : normalizeText(kind, v)))
    .superRefine((v, ctx) => {
      if (v.length > rawCap(max)) return
      const p = textProblem(kind, v)
      if (p) ctx.addIssue({ code: 'custom', message: `${REASON_WORDS[p.reason]} (${p.char})`, params: { ...p } })
    })
    .max(max)
  return min === undefined ? field : field.min(min)
}

/** Text foldKey only lowers: PLAIN_CHAR alone, no spaces. */
export const FOLDS_BY_CASE_ONLY = new RegExp(`^${PLAIN_CHAR}*$`)

/**
 * The one fold for keys that stored text and typed queries are compared by (search terms, org
 * name keys): compatibility forms to plain (full width, ①), lower case, and no whitespace,
 * control, format (zero-width, bidi) or grapheme-joiner characters.
 */
export function foldKey(s: string): string {
  // visible ASCII and the common CJK ideographs have no compatibility form: only case to fold
  return FOLDS_BY_CASE_ONLY.test(s) ? s.toLowerCase() : foldKeyPasses(s)
}

/** foldKey's passes, each text through all of them (exported for the test that FOLDS_BY_CASE_ONLY skips only what they do not change but case). */
export function foldKeyPasses(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Cc}\p{Cf}\u034F]/gu, '')
}
