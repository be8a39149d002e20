/**
 * 居民身份证号 (GB 11643-1999): six digits of region, the birth date YYYYMMDD, a three-digit
 * sequence whose last digit is odd for a man and even for a woman, and a check character
 * (ISO 7064 MOD 11-2) that catches any single mistyped digit and most swapped pairs.
 */

/** Why a typed ID number is refused: not 18 characters of digits (and a final X), a failed check character, or no real birth date. */
export type IdNumberProblem = 'id_shape' | 'id_checksum' | 'id_date'

export type IdNumberReading =
  | { ok: true; idNumber: string; birthDate: string; gender: 'male' | 'female' }
  | { ok: false; problem: IdNumberProblem }

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK = '10X98765432'

/** The check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0)
  return CHECK[sum % 11] ?? ''
}

/** The number as it is stored: full-width digits and X to ASCII, spaces and dashes gone, x upper case. */
export function normalizeIdNumber(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .toUpperCase()
}

function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

/**
 * Reads an ID number as typed: the stored form, the birth date and the gender it carries, or why
 * it is refused. The birth date is checked to exist (19900230 does not); whether it is in the
 * past is the birth date's own rule (birthDateProblem).
 */
export function readIdNumber(text: string): IdNumberReading {
  const id = normalizeIdNumber(text)
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return { ok: false, problem: 'id_shape' }
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  if (!realDate(y, m, d)) return { ok: false, problem: 'id_date' }
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'id_checksum' }
  return {
    ok: true,
    idNumber: id,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  }
}

/** 110***********002X: the first three and the last four characters, as the audit log masks it. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 3)}${'*'.repeat(Math.max(0, id.length - 7))}${id.slice(-4)}`
}
