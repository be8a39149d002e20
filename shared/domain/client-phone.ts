import { parsePhoneNumberWithError } from 'libphonenumber-js/max'
import { toHalfWidth } from './text-kinds'

export type PhoneKind = 'mobile' | 'landline' | 'other'

export interface NormalizedPhone {
  /** +8613812345678: the one stored form, unique per branch. */
  e164: string
  /** what people dial and search: 13812345678, 02162345678. */
  digits: string
  /** shown form: 13812345678, 021-62345678, 021-62345678转808 (a landline's extension is shown, not matched). */
  display: string
  kind: PhoneKind
}

export type PhoneCheck = { ok: true; phone: NormalizedPhone } | { ok: false; reason: 'phone_chars' | 'phone_invalid' }

/** Dashes people and IMEs type between digit groups (－, ——, ‐, −…), and 。 for a dot. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\u30FC]/g
/** An extension at the end: 转808, 分机 808, ext. 808, x808, #808. */
const EXTENSION = /^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i
/** A plain extension after a complete landline, set off by a dash: 021-61234567-808. */
const TRAILING_GROUP = /^(.*\d)\s*-\s*(\d{1,6})$/
/** Digits in groups, with one leading + or 00 (bracketed or not): what a phone may look like. */
const PHONE_TEXT = /^(?:\(\s*\+?[0-9]{1,4}\s*\)|\+)?[0-9()\s\-./]+$/

/** The text as plain ASCII digits and separators: full-width forms, IME dashes and dots, zero-width paste artefacts. */
function plainPhoneText(raw: string): string {
  return toHalfWidth(raw)
    .replace(DASHES, '-')
    .replace(/\u3002/g, '.')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
    .trim()
}

/**
 * Validates and normalises a client phone (CN default, full metadata), written the ways people
 * write them: `(+86)139-1234-5678`, `（+86）139 1234 5678`, `+86 139.1234.5678`, `0086 13912345678`,
 * `86-139…` (read as +86 when the rest is a CN number), full-width digits, landlines with area
 * codes `(021) 6123-4567`, and landline extensions (`021-61234567-808`, `…转808`). The
 * extension is shown, but the line is what the number *is*: 防撞单 and search match the line.
 * Stray characters are rejected first, and the parser only ever sees `+digits` or digits: it
 * would otherwise pull a number out of `13812345678abc`.
 */
export function normalizeClientPhone(raw: string): PhoneCheck {
  const text = plainPhoneText(raw)
  const ext = EXTENSION.exec(text)
  const main = ext?.[1] ?? text
  if (!PHONE_TEXT.test(main)) return { ok: false, reason: 'phone_chars' }
  const whole = readNumber(main)
  if (whole && !ext) return whole
  if (whole && ext) return whole.phone.kind !== 'mobile' ? withExtension(whole.phone, ext[2] ?? '') : { ok: false, reason: 'phone_invalid' }
  const tail = ext ? null : TRAILING_GROUP.exec(main)
  const line = tail ? readNumber(tail[1] ?? '') : null
  if (line && tail && line.phone.kind !== 'mobile') return withExtension(line.phone, tail[2] ?? '')
  return { ok: false, reason: 'phone_invalid' }
}

/** A CN mobile as people write it: eleven digits from 1, nothing else (a list imports 100,000 of them). */
const CN_ELEVEN = /^1[0-9]{10}$/
/** How many digits of an 11-digit national number decide its type (a 号段; the metadata reads at most five today). */
const BLOCK_DIGITS = 7
/** The blocks met that the parser found to hold mobiles (bounded: a branch's numbers share a few hundred). */
const MOBILE_BLOCKS = new Set<string>()
const MAX_MOBILE_BLOCKS = 20_000

/** One number without extension: `+` and its digits, or the digits alone (national, 00…, 86…). */
function readNumber(main: string): { ok: true; phone: NormalizedPhone } | null {
  // a bare 11-digit number of a block the parser already found to be mobile is one too (the full
  // metadata's parse and type cost ~20 µs a number; client-phone.test holds the block rule to the parser)
  if (CN_ELEVEN.test(main) && MOBILE_BLOCKS.has(main.slice(0, BLOCK_DIGITS))) return { ok: true, phone: { e164: `+86${main}`, digits: main, display: main, kind: 'mobile' } }
  const digits = main.replace(/\D/g, '')
  if (digits.length < 5 || digits.length > 17) return null
  let parsed
  try {
    parsed = parsePhoneNumberWithError(main.includes('+') ? `+${digits}` : digits, 'CN')
  } catch {
    return null
  }
  // with the full metadata a number is valid exactly when it has a type (isValid asks getType): the
  // type is worked out once, and isValid only asked of a plan without types (an import checks 100,000)
  const type = parsed.getType()
  if (type === undefined && !parsed.isValid()) return null
  const kind: PhoneKind = type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' ? 'landline' : 'other'
  const national = parsed.country === 'CN' && kind === 'landline' ? `0${parsed.nationalNumber}` : parsed.nationalNumber
  const dial = parsed.country === 'CN' || parsed.country === undefined ? national : parsed.number.replace('+', '')
  // a CN mobile's national form is its digits in groups (139 1234 5678), shown without the spaces
  const display = parsed.country !== 'CN' ? parsed.formatInternational() : kind === 'mobile' ? parsed.nationalNumber : cnDisplay(parsed.formatNational(), kind)
  const phone: NormalizedPhone = { e164: parsed.number, digits: dial, display, kind }
  if (CN_ELEVEN.test(main) && kind === 'mobile' && parsed.country === 'CN' && phone.e164 === `+86${main}` && display === main && dial === main && MOBILE_BLOCKS.size < MAX_MOBILE_BLOCKS) MOBILE_BLOCKS.add(main.slice(0, BLOCK_DIGITS))
  return { ok: true, phone }
}

/** The blocks remembered as mobile (for the test that holds the block rule to the parser). */
export function forgetMobileBlocks(): void {
  MOBILE_BLOCKS.clear()
}

function withExtension(phone: NormalizedPhone, ext: string): PhoneCheck {
  return { ok: true, phone: { ...phone, display: `${phone.display}转${ext}` } }
}

/** A country code in front of a typed number: (+86) (0086) +86 0086 (86), or a bare 86 set off from a mobile. */
const CN_PREFIX = /^(?:\(\s*(?:\+|00)?\s*86\s*\)|(?:\+|00)\s*86|86(?=[\s\-./]+1))[\s\-./]*/
/** What a typed number (whole or a part) may hold: digits, separators, brackets and one leading +. */
const NUMBER_TEXT = /^\+?[0-9()\s\-./]+$/

/**
 * The digits a typed number (whole or only its start) is searched by, in the form phones are
 * stored: `+86 152`, `0086152`, `(+86)152-1234`, `８６ １５２`, `152.1234`, `152 1234 5678` all
 * read as 152…; after a country code a landline gets its trunk 0 back (`+86 21 6123` is 0216123).
 * Null when the text is not a number.
 */
export function phoneQueryDigits(raw: string): string | null {
  const text = plainPhoneText(raw)
  if (!NUMBER_TEXT.test(text.replace(/^\(\s*\+/, '('))) return null
  const prefix = CN_PREFIX.exec(text)
  const digits = (prefix ? text.slice(prefix[0].length) : text).replace(/\D/g, '')
  if (digits === '') return null
  return prefix && !digits.startsWith('1') && !digits.startsWith('0') ? `0${digits}` : digits
}

/** 13812345678 for mobiles, 021-62345678 for landlines (area code, dash, number). */
function cnDisplay(national: string, kind: PhoneKind): string {
  const [area, ...rest] = national.split(/\s+/)
  return kind === 'landline' && rest.length > 0 ? `${area}-${rest.join('')}` : national.replace(/\s+/g, '')
}

/** Masks a phone for viewers who do not own the client: 138****5678, 021-****5678. */
export function maskPhone(shown: string): string {
  // an extension (021-61234567转808) is not shown to those who may not call the line
  const display = shown.replace(/转\d*$/, '')
  const dash = display.indexOf('-')
  const digitsOnly = display.replace(/\D/g, '')
  if (dash > 0 && display.startsWith('0')) return `${display.slice(0, dash)}-****${digitsOnly.slice(-4)}`
  if (digitsOnly.length <= 4) return '****'
  return `${digitsOnly.slice(0, 3)}****${digitsOnly.slice(-4)}`
}
