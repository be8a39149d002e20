/** The encodings a branch's CSV comes in: Excel's "CSV UTF-8" (with a BOM), plain UTF-8, or GBK from an older Excel on Chinese Windows. */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'gb18030'

/**
 * Which encoding a CSV file is in: a BOM says so; otherwise text that is valid UTF-8 is UTF-8
 * (GBK bytes of Chinese text are almost never valid UTF-8), and anything else is read as GB18030,
 * the superset of GBK and GB2312.
 */
export function detectCsvEncoding(bytes: Uint8Array): CsvEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return 'utf-8'
  } catch {
    return 'gb18030'
  }
}

/** The file's text in its detected encoding, without the BOM. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const encoding = detectCsvEncoding(bytes)
  // TextDecoder drops the BOM itself (ignoreBOM defaults to false)
  return { text: new TextDecoder(encoding).decode(bytes), encoding }
}

/** The delimiter of a CSV: the one of , ; and tab found most in its first line. */
function delimiterOf(text: string): string {
  const line = text.slice(0, Math.max(0, text.indexOf('\n')) || 4096)
  const counts = [',', '\t', ';'].map((d) => [d, line.split(d).length] as const)
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0]
}

/**
 * The records of a CSV text (RFC 4180: quoted fields with "" and line breaks inside, CRLF or LF),
 * each with its 1-based line number as Excel would number the row.
 */
export function* csvRecords(text: string): Generator<{ rowNo: number; cells: string[] }> {
  const delim = delimiterOf(text)
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let rowNo = 1
  let i = 0
  const n = text.length
  while (i < n) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
      } else cell += ch
      i++
      continue
    }
    if (ch === '"' && cell === '') quoted = true
    else if (ch === delim) {
      cells.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      cells.push(cell)
      yield { rowNo, cells }
      rowNo++
      cells = []
      cell = ''
      if (ch === '\r' && text[i + 1] === '\n') i++
    } else cell += ch
    i++
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell)
    yield { rowNo, cells }
  }
}
