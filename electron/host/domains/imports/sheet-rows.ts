import { Readable } from 'node:stream'
import type ExcelJS from 'exceljs'
import { ApiFailure } from '../../api/api-failure'
import { csvRecords, decodeCsv } from './csv-text'
import { sheetMerges, type MergeRange } from './sheet-merges'
import { storedEntry, zipChunks, zipEntries, type ZipEntry } from './zip-entries'

/** One row of the file: its 1-based row number (as Excel shows it) and its cells as text. */
export interface SheetRow {
  rowNo: number
  cells: string[]
}

/** Columns read from a row: a branch's sheet has a few dozen; more is not a client list. */
const MAX_COLUMNS = 100
/** A cell longer than this is cut (the longest client field takes 500 characters). */
const MAX_CELL = 2000

/** What kind of file the bytes are: an xlsx workbook (a zip), an old binary .xls, or text taken as CSV. */
export function fileKind(bytes: Buffer): 'xlsx' | 'xls' | 'csv' {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'xlsx'
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) return 'xls'
  return 'csv'
}

/**
 * A date cell as its calendar day, and its time of day when it has one (exceljs builds the Date at
 * the UTC instant of the wall time shown): 2024-03-05 or 2024-03-05 14:30:00.
 */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return ''
  // a time typed in Excel is a fraction of a day: read to the nearest second
  const iso = new Date(Math.round(d.getTime() / 1000) * 1000).toISOString()
  const time = iso.slice(11, 19)
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`
}

/** A phone typed into a number cell (13912345678) reads back as those digits, never 1.39e10. */
function numberText(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e17 ? n.toFixed(0) : String(n)
}

/**
 * A cell's value as the text the import reads: a formula's result, rich text joined, a hyperlink's
 * text, a date cell as YYYY-MM-DD (and its time of day when it has one), a number without exponent; an error cell is blank.
 */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return numberText(v)
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (typeof v === 'string') return v.slice(0, MAX_CELL)
  if (v instanceof Date) return dateText(v)
  if ('result' in v) return v.result === undefined || (typeof v.result === 'object' && v.result !== null && !(v.result instanceof Date)) ? '' : cellText(v.result)
  if ('richText' in v) return v.richText.map((t) => t.text).join('').slice(0, MAX_CELL)
  if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : ''
  return ''
}

/** Fills each merged block's cells with its top-left value as the rows stream by (a block only reaches down). */
class MergeFill {
  private readonly byRow = new Map<number, MergeRange[]>()
  private readonly values = new Map<MergeRange, string>()

  constructor(merges: readonly MergeRange[]) {
    for (const m of merges) {
      for (let r = m.top; r <= m.bottom; r++) {
        const list = this.byRow.get(r)
        if (list) list.push(m)
        else this.byRow.set(r, [m])
      }
    }
  }

  apply(rowNo: number, cells: string[]): string[] {
    const blocks = this.byRow.get(rowNo)
    if (!blocks) return cells
    for (const m of blocks) {
      if (rowNo === m.top) this.values.set(m, cells[m.left - 1] ?? '')
      const value = this.values.get(m) ?? ''
      for (let c = m.left; c <= Math.min(m.right, MAX_COLUMNS); c++) {
        if (rowNo !== m.top || c !== m.left) cells[c - 1] = value
      }
      if (rowNo === m.bottom) this.values.delete(m)
    }
    this.byRow.delete(rowNo)
    // a block reaching past the row's last cell left holes before it
    return Array.from(cells, (c) => c ?? '')
  }
}

/** The parts exceljs must have read before a worksheet, in the order it needs them. */
const READ_FIRST = ['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml']
const EMPTY_SHARED_STRINGS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'

/**
 * The workbook re-chunked so that its shared strings and relations come before the sheets. exceljs'
 * streaming reader writes a sheet it meets before those to a temp file in plain text (Excel saves
 * the sheets first), which would put clients' phones on the disk outside the encrypted database; in
 * this order it streams every sheet from memory. A workbook without shared strings gets an empty
 * part for the same reason. The entries' bytes are not copied.
 */
function xlsxInReadingOrder(entries: readonly ZipEntry[]): Buffer[] {
  const rank = (name: string) => {
    const i = READ_FIRST.indexOf(name)
    return i < 0 ? READ_FIRST.length : i
  }
  const parts = entries.some((e) => e.name === 'xl/sharedStrings.xml') ? [...entries] : [...entries, storedEntry('xl/sharedStrings.xml', EMPTY_SHARED_STRINGS)]
  // a stable sort: the sheets keep their order among themselves
  return zipChunks(parts.sort((a, b) => rank(a.name) - rank(b.name)))
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const ExcelJSModule = (await import('exceljs')).default
  // the central directory read once, for the merged cells and for the reading order
  const entries = zipEntries(bytes)
  if (!entries) throw new ApiFailure('VALIDATION', 'the file is not a readable Excel workbook (.xlsx)', 'fileBase64', 'not_xlsx')
  const merges = new MergeFill(await sheetMerges(entries).catch(() => []))
  const source = Readable.from(xlsxInReadingOrder(entries))
  // styles are read so that a date cell comes as a Date; everything else streams row by row
  const reader = new ExcelJSModule.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' })
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[]
        const cells: string[] = []
        for (let c = 1; c < Math.min(values.length, MAX_COLUMNS + 1); c++) cells.push(cellText(values[c]).trim())
        yield { rowNo: row.number, cells: merges.apply(row.number, cells) }
      }
      // the first sheet is the list; others (a legend, a pivot) are not read
      break
    }
  } finally {
    source.destroy()
  }
}

/**
 * The rows of an uploaded client list, streamed: an xlsx through exceljs' streaming reader (memory
 * stays that of a row, not of the workbook), or a CSV in UTF-8 (BOM or not) or GBK. A wrong file
 * as a whole is a VALIDATION error on `fileBase64`.
 */
export async function* sheetRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const kind = fileKind(bytes)
  if (kind === 'xls') throw new ApiFailure('VALIDATION', 'an old .xls workbook: save it as .xlsx or CSV', 'fileBase64', 'xls_not_supported')
  if (kind === 'xlsx') {
    try {
      yield* xlsxRows(bytes)
    } catch (err) {
      if (err instanceof ApiFailure) throw err
      throw new ApiFailure('VALIDATION', 'the file is not a readable Excel workbook (.xlsx)', 'fileBase64', 'not_xlsx')
    }
    return
  }
  const { text } = decodeCsv(bytes)
  for (const r of csvRecords(text)) yield { rowNo: r.rowNo, cells: r.cells.slice(0, MAX_COLUMNS).map((c) => c.slice(0, MAX_CELL).trim()) }
}
