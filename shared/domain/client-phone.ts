import { parsePhoneNumberWithError } from 'libphonenumber-js/max'

export type PhoneKind = 'mobile' | 'landline' | 'other'

export interface NormalizedPhone {
  /** +8613812345678: the one stored form, unique per branch. */
  e164: string
  /** what people dial and search: 13812345678, 02162345678. */
  digits: string
  /** shown form: 13812345678, 021-62345678. */
  display: string
  kind: PhoneKind
}

export type PhoneCheck = { ok: true; phone: NormalizedPhone } | { ok: false; reason: 'phone_chars' | 'phone_invalid' }

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B\uFF0D\uFF08\uFF09\u3000]/g

/** Full-width digits and signs (common from Chinese IMEs) to ASCII. */
function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
}

/**
 * Validates and normalises a client phone (CN default, full metadata). Stray characters are
 * rejected first: the parser would otherwise pull a number out of `13812345678abc`.
 */
export function normalizeClientPhone(raw: string): PhoneCheck {
  const text = toHalfWidth(raw).trim()
  if (!/^\+?[0-9(][0-9 ()-]{3,22}$/.test(text)) return { ok: false, reason: 'phone_chars' }
  let parsed
  try {
    parsed = parsePhoneNumberWithError(text, 'CN')
  } catch {
    return { ok: false, reason: 'phone_invalid' }
  }
  if (!parsed.isValid()) return { ok: false, reason: 'phone_invalid' }
  const type = parsed.getType()
  const kind: PhoneKind = type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' ? 'landline' : 'other'
  const national = parsed.country === 'CN' && kind === 'landline' ? `0${parsed.nationalNumber}` : parsed.nationalNumber
  const digits = parsed.country === 'CN' || parsed.country === undefined ? national : parsed.number.replace('+', '')
  const display = parsed.country !== 'CN' ? parsed.formatInternational() : cnDisplay(parsed.formatNational(), kind)
  return { ok: true, phone: { e164: parsed.number, digits, display, kind } }
}

/** 13812345678 for mobiles, 021-62345678 for landlines (area code, dash, number). */
function cnDisplay(national: string, kind: PhoneKind): string {
  const [area, ...rest] = national.split(/\s+/)
  return kind === 'landline' && rest.length > 0 ? `${area}-${rest.join('')}` : national.replace(/\s+/g, '')
}

/** Masks a phone for viewers who do not own the client: 138****5678, 021-****5678. */
export function maskPhone(display: string): string {
  const dash = display.indexOf('-')
  const digitsOnly = display.replace(/\D/g, '')
  if (dash > 0 && display.startsWith('0')) return `${display.slice(0, dash)}-****${digitsOnly.slice(-4)}`
  if (digitsOnly.length <= 4) return '****'
  return `${digitsOnly.slice(0, 3)}****${digitsOnly.slice(-4)}`
}
