import { maskPhone, normalizeClientPhone } from '@shared/domain/client-phone'
import { maskIdNumber } from '@shared/domain/id-number'

/**
 * Phones and 居民身份证号 as the audit log recognises them: masked for the stored row, and
 * normalised (`phone:+8613812345678`, `id:11010519491231002X`) for the keyed hash beside it.
 */
export interface FoundNumbers {
  add(normalized: string): void
}

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B\uFF0D\uFF08\uFF09\u3000]/g

/** Full-width digits and signs to ASCII, one code unit for one, so offsets stay the same. */
function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
}

// 6-digit region, birth date 18xx-20xx, 3-digit sequence, check character. The check character
// is not verified: a mistyped ID number is still someone's, and the date makes a stray match rare
const ID_IN_TEXT = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g
const ID_SHAPE = /^\d{17}[\dXx]$/
// a CN mobile (1[3-9] + 9 digits) or a landline with area code, optionally behind +86, with spaces,
// dots or dashes between digits; libphonenumber decides whether a candidate really is one
const PHONE_IN_TEXT =
  /(?<![\d+])(?:\(?\+?86\)?[ .-]?)?(?:1[3-9]\d(?:[ .-]?\d){8}|0[1-9]\d{1,2}[ .-]?\d(?:[ .-]?\d){6,7})(?!\d)/g

// 110***********002X, as the client profile shows it (shared/domain/id-number.ts)
export { maskIdNumber }

/** A value that is not a whole number (a search prefix, a typo): the first three characters, then stars for every digit. */
export function maskPartial(value: string): string {
  const hw = toHalfWidth(value)
  const digits = hw.replace(/\D/g, '').length
  if (digits < 7) return hw.replace(/[0-9Xx]/g, '*')
  return hw.slice(0, 3) + hw.slice(3).replace(/[0-9Xx]/g, '*')
}

/** The normalised form of a phone, or null when it is not a valid one. */
function phoneOf(candidate: string): { masked: string; normalized: string } | null {
  // (+86)139-1234-5678, 86 139…: the country code as people write it
  const plain = candidate.replace(/[.\s()]/g, '').replace(/^86(?=[-]?1[3-9])/, '+86')
  const checked = normalizeClientPhone(plain)
  if (!checked.ok) return null
  return { masked: maskPhone(checked.phone.display), normalized: `phone:${checked.phone.e164}` }
}

/**
 * Masks every valid CN phone and everything shaped like a 居民身份证号 found anywhere in free
 * text, leaving the rest of the text as it was.
 */
export function maskNumbersInText(text: string, found: FoundNumbers): string {
  if (!/\d/.test(text) && !/[\uFF10-\uFF19]/.test(text)) return text
  const hw = toHalfWidth(text)
  const ranges: Array<{ from: number; to: number; mask: string }> = []
  for (const m of hw.matchAll(ID_IN_TEXT)) {
    ranges.push({ from: m.index, to: m.index + m[0].length, mask: maskIdNumber(m[0].toUpperCase()) })
    found.add(`id:${m[0].toUpperCase()}`)
  }
  // ID numbers are blanked first so that no phone is read out of the middle of one
  let rest = hw
  for (const r of ranges) rest = rest.slice(0, r.from) + '#'.repeat(r.to - r.from) + rest.slice(r.to)
  for (const m of rest.matchAll(PHONE_IN_TEXT)) {
    const phone = phoneOf(m[0])
    if (!phone) continue
    ranges.push({ from: m.index, to: m.index + m[0].length, mask: phone.masked })
    found.add(phone.normalized)
  }
  if (ranges.length === 0) return text
  ranges.sort((a, b) => a.from - b.from)
  let out = ''
  let at = 0
  for (const r of ranges) {
    out += text.slice(at, r.from) + r.mask
    at = r.to
  }
  return out + text.slice(at)
}

/** A value stored under a phone key: masked whole if it is a phone, else any numbers in it, else partially. */
export function maskPhoneValue(value: string, found: FoundNumbers): string {
  const phone = phoneOf(toHalfWidth(value).trim())
  if (phone) {
    found.add(phone.normalized)
    return phone.masked
  }
  const inText = maskNumbersInText(value, found)
  return inText !== value ? inText : maskPartial(value)
}

/** A value stored under an ID-number key: masked whole if it has the shape of one, else partially. */
export function maskIdValue(value: string, found: FoundNumbers): string {
  const id = toHalfWidth(value).replace(/\s/g, '').toUpperCase()
  if (ID_SHAPE.test(id)) {
    found.add(`id:${id}`)
    return maskIdNumber(id)
  }
  return maskPartial(value)
}

/**
 * How the number filter of `audit.list` reads what an admin typed: the same normalised form
 * the log hashed, or null when it is neither a valid phone nor an 18-character ID number.
 */
export function normalizeSearchNumber(value: string): string | null {
  const hw = toHalfWidth(value).trim()
  const id = hw.replace(/\s/g, '').toUpperCase()
  if (ID_SHAPE.test(id)) return `id:${id}`
  return phoneOf(hw)?.normalized ?? null
}
