/**
 * An export as CSV for tools that take no workbook (the branch's SMS tool, issue #20): UTF-8
 * with a byte-order mark, which is how Excel knows the Chinese is UTF-8, and CRLF line ends.
 */

/** The byte-order mark the file starts with. */
export const CSV_BOM = '\uFEFF'

// a cell Excel would read as a formula (=, +, -, @, or a tab or return before one): OWASP's CSV injection
const FORMULA_START = /^[=+\-@\t\r]/
// a number Excel would turn into 1.38E+10 or strip the leading zero of
const NUMBER_LIKE = /^[+\d][\d\s-]*$/

/**
 * One cell as CSV text. A `text` column's number (a phone) keeps every digit: a tab before it makes
 * Excel take it as text, and tools that read the file trim it. Anything Excel would run as a
 * formula gets an apostrophe before it, so it shows as typed and never runs.
 */
export function csvCell(value: string | number | null, text = false): string {
  if (value === null) return ''
  let s = String(value)
  if (text && NUMBER_LIKE.test(s)) s = `\t${s}`
  else if (FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A row of cells as one CSV line, CRLF ended; `text` marks the columns that keep numbers as text. */
export function csvLine(cells: readonly (string | number | null)[], text: readonly boolean[] = []): string {
  return `${cells.map((c, i) => csvCell(c, text[i] === true)).join(',')}\r\n`
}
