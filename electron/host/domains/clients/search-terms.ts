import { pinyin } from 'pinyin-pro'
import { printUid } from '@shared/domain/card-uid'
import { foldKey } from '@shared/domain/text-kinds'
import { TermField } from './search-fields'

// in a file of their own so that a reader's thread (search-procedure.ts) loads them without pinyin
export { FIELD_NAMES, TERM_TABLES, TermField, termTableOf, type TermTable } from './search-fields'

export interface SearchTerm {
  term: string
  field: number
  /** 0 = the term is the whole field (exact/prefix matches); >0 = an inner suffix (contains). */
  pos: number
}

const CJK = /[\u3400-\u9fff]/
const MAX_SUFFIXES = 24

/**
 * Lower case, half width, no spaces and nothing invisible (zero-width, bidi, control): the same
 * fold for stored terms and typed queries, so 张\u200B伟 stored is found by 张伟 typed and back.
 */
export function foldSearchText(s: string): string {
  return foldKey(s)
}

function suffixes(text: string, field: number, minLength = 1): SearchTerm[] {
  const chars = Array.from(text)
  const out: SearchTerm[] = []
  for (let i = 0; i < chars.length && i < MAX_SUFFIXES; i++) {
    if (chars.length - i < minLength) break
    out.push({ term: chars.slice(i).join(''), field, pos: i })
  }
  return out
}

/** Syllables of a name: pinyin for Chinese characters, latin runs kept whole. */
function syllables(name: string): { full: string[]; initials: string[] } {
  const full: string[] = []
  const initials: string[] = []
  const parts = name.match(/[\u3400-\u9fff]+|[a-z0-9]+/g) ?? []
  for (const part of parts) {
    if (CJK.test(part)) {
      const py = pinyin(part, { toneType: 'none', type: 'array', surname: 'head', v: true })
      for (const s of py) {
        full.push(s.toLowerCase())
        initials.push(s.charAt(0).toLowerCase())
      }
    } else {
      full.push(part)
      initials.push(part.charAt(0))
    }
  }
  return { full, initials }
}

/**
 * The forms a 客户编号 is typed in, each matched whole: as stored (ky000301), its digits as
 * printed (000301), and short (ky301, 301: leading zeros dropped). A code that is not letters
 * then digits (an imported one) is only itself. Migration 017 wrote these for clients stored
 * before; it repeats this rule in SQL.
 */
export function codeForms(foldedCode: string): string[] {
  const m = /^([a-z]*)([0-9]+)$/.exec(foldedCode)
  if (!m) return [foldedCode]
  const letters = m[1] ?? ''
  const digits = m[2] ?? ''
  const bare = digits.replace(/^0+(?=[0-9])/, '')
  return [...new Set([foldedCode, digits, letters + bare, bare])]
}

/**
 * The number printed on a card (the 10-digit decimal of its 32-bit number: 0305419896), every
 * 4+ digit part of it, and that number without its leading zeros as a whole (305419896), for the
 * clerk who copies it off the card. Cards with no printed number (7-byte UIDs, W26 reads) have none.
 */
function printedCardTerms(uid: string): SearchTerm[] {
  const printed = printUid(uid, 'decimal-10')
  if (printed === null) return []
  const short = printed.replace(/^0+(?=[0-9])/, '')
  return [...suffixes(printed, TermField.card, 4), ...(short !== printed ? [{ term: short, field: TermField.card, pos: 0 }] : [])]
}

/** Every term a client can be found by: name substrings, pinyin, initials, 4+ phone digits, code (and its short forms), cards (hex and printed). */
export function buildSearchTerms(c: { name: string; code: string; phoneDigits: readonly string[]; cards?: readonly string[] }): SearchTerm[] {
  const name = foldSearchText(c.name)
  const terms: SearchTerm[] = [...suffixes(name, TermField.name)]
  if (CJK.test(name)) {
    const { full, initials } = syllables(name)
    for (let i = 0; i < full.length && i < MAX_SUFFIXES; i++) {
      terms.push({ term: full.slice(i).join(''), field: TermField.pinyin, pos: i })
      terms.push({ term: initials.slice(i).join(''), field: TermField.initials, pos: i })
    }
  }
  for (const d of c.phoneDigits) terms.push(...suffixes(d, TermField.phone, 4))
  for (const form of codeForms(foldSearchText(c.code))) terms.push({ term: form, field: TermField.code, pos: 0 })
  for (const card of c.cards ?? []) terms.push(...suffixes(foldSearchText(card), TermField.card, 4), ...printedCardTerms(card))
  // one row per (term, field, pos)
  const seen = new Set<string>()
  return terms.filter((t) => {
    const k = `${t.term}\u0000${t.field}\u0000${t.pos}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** The upper bound of a prefix range: every string starting with `prefix` sorts below it. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`
}
