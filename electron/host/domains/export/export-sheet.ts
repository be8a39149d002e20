import type { Kysely } from 'kysely'
import { formatBranchTime } from '@shared/domain/branch-time'
import type { Viewer } from '@shared/domain/client-access'
import type { PageKey } from '../../db/keyset'
import type { DB } from '../../db/schema'
import { CSV_BOM, csvLine } from './export-csv'
import type { ExportWriter } from './export-files'

export type Lang = 'zh' | 'en'
type Cell = string | number | null

/** One column of an exported sheet: its header in each language and the cell of a row. */
export interface ExportColumn<R> {
  zh: string
  en: string
  cell(row: R, lang: Lang): Cell
  /** a number kept as text where a spreadsheet would read it as a number (a phone in a CSV) */
  text?: boolean
}

/** Who exports: the access rules' viewer, and the names the watermark shows. */
export interface Exporter extends Viewer {
  name: string
  username: string
}

/**
 * A grid as an export reads it: the grid's own query, page by page, each row already checked
 * and shaped for the exporter exactly as the grid shows it to them (phones masked), and the
 * sheet's columns.
 */
export interface GridSource<Q, R> {
  title: { zh: string; en: string }
  columns: readonly ExportColumn<R>[]
  /** how many rows the export will hold (for the cap and the progress) */
  count(db: Kysely<DB>, query: Q, who: Exporter, now: Date): Promise<number>
  /**
   * the grid's rows from `from` on, at most `limit` of them read (`read`; fewer than `limit` ends
   * the export), of those the ones the exporter may take (`rows`), and the key of the last row read
   * (`last`, null when the source pages by position)
   */
  page(db: Kysely<DB>, query: Q, who: Exporter, now: Date, from: SliceFrom, limit: number): Promise<SliceOf<R>>
}

/**
 * Where a slice starts. A grid paged in SQL seeks to the key of the last row read (`after`, null
 * at the start), never by OFFSET; a list its query builds whole in memory (at most a few
 * thousand rows: the approvals and finance lists' 500, a project's units, a day's queue, a
 * report's table) is taken from position `read`, the rows read before.
 */
export interface SliceFrom {
  after: PageKey | null
  read: number
}

/** One slice of a grid's rows (see GridSource.page). */
export interface SliceOf<R> {
  rows: R[]
  read: number
  last: PageKey | null
}

/** A slice of a list built whole in memory, from position `from.read` (no key: the position is the cursor). */
export function sliceOfList<R>(list: readonly R[], from: SliceFrom, limit: number): SliceOf<R> {
  const rows = list.slice(from.read, from.read + limit)
  return { rows, read: rows.length, last: null }
}

/** The header line of every exported sheet: who, when, and that it stays in the branch. */
export function watermarkLine(who: Exporter, at: Date, lang: Lang): string {
  const time = formatBranchTime(at.toISOString())
  return lang === 'zh'
    ? `导出人：${who.name}（${who.username}） 导出时间：${time}（北京时间） 仅限本店内部使用，请勿外传`
    : `Exported by ${who.name} (${who.username}) at ${time} (Beijing time). For this branch's internal use only.`
}

/** A grid source with its query bound: rows come out as the sheet's cells (the export job needs no row types). */
export interface BoundSource {
  title: { zh: string; en: string }
  headers(lang: Lang): string[]
  /** which columns keep numbers as text (none when left out) */
  textColumns?: readonly boolean[]
  count(db: Kysely<DB>, who: Exporter, now: Date): Promise<number>
  page(db: Kysely<DB>, who: Exporter, now: Date, from: SliceFrom, limit: number, lang: Lang): Promise<{ cells: Cell[][]; read: number; last: PageKey | null }>
}

/** Binds a grid's query to its source. */
export function bindSource<Q, R>(source: GridSource<Q, R>, query: Q): BoundSource {
  return {
    title: source.title,
    headers: (lang) => source.columns.map((c) => c[lang]),
    textColumns: source.columns.map((c) => c.text === true),
    count: (db, who, now) => source.count(db, query, who, now),
    async page(db, who, now, from, limit, lang) {
      const p = await source.page(db, query, who, now, from, limit)
      return { cells: p.rows.map((r) => source.columns.map((c) => c.cell(r, lang))), read: p.read, last: p.last }
    },
  }
}

/** The workbook's properties and the sheet's first two lines (the watermark, then the headers). */
export function startSheet(w: ExportWriter, source: BoundSource, who: Exporter, at: Date, lang: Lang, describe: string): void {
  const title = source.title[lang]
  const line = watermarkLine(who, at, lang)
  if (w.kind === 'csv') {
    w.text = source.textColumns ?? []
    w.out.write(CSV_BOM + csvLine([line]) + csvLine(source.headers(lang)))
    return
  }
  w.workbook.creator = `${who.name} (${who.username})`
  w.workbook.lastModifiedBy = `${who.name} (${who.username})`
  w.workbook.created = at
  w.workbook.modified = at
  w.workbook.title = title
  w.workbook.subject = line
  w.workbook.description = `${line}\n${describe}`
  w.workbook.company = '客源 Keyuan'
  const mark = w.sheet.addRow([line])
  mark.font = { bold: true, color: { argb: 'FFC00000' } }
  mark.commit()
  const head = w.sheet.addRow(source.headers(lang))
  head.font = { bold: true }
  head.commit()
}

/** Writes rows to the sheet and commits them (the streaming writer then holds none of them). */
export function writeRows(w: ExportWriter, cells: readonly Cell[][]): void {
  if (w.kind === 'csv') {
    if (cells.length > 0) w.out.write(cells.map((r) => csvLine(r, w.text)).join(''))
    return
  }
  for (const r of cells) w.sheet.addRow(r).commit()
}
