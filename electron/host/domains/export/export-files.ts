import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Clock } from '../../clock'
import type { DownloadFile, Downloads } from '../../lan/downloads'

/** How long a finished export waits for its one download. */
export const DOWNLOAD_TTL_MS = 10 * 60_000

const CONTENT_TYPE = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv; charset=utf-8' } as const

/** The file format of an export: a workbook, or CSV for tools that take no workbook. */
export type ExportFormat = keyof typeof CONTENT_TYPE

/**
 * The file of an export being written: rows go to the sheet and are committed, or are written to
 * the CSV stream, so memory holds none of them.
 */
export type ExportWriter =
  | { kind: 'xlsx'; workbook: ExcelJS.stream.xlsx.WorkbookWriter; sheet: ExcelJS.Worksheet }
  | { kind: 'csv'; out: fs.WriteStream; text: readonly boolean[]; failed: Error | null }

interface Entry {
  staffId: number
  file: string
  fileName: string
  format: ExportFormat
  writer: ExportWriter | null
  token: string | null
  expiresAt: number | null
  taken: boolean
}

/**
 * The files of exports, in `<data folder>/exports` (the branch's own disk, never a shared temp
 * folder): one streaming workbook per running export, then a one-time token to fetch it over
 * the host's HTTP. Nothing here outlives the host: a stopped host's leftovers are removed at the
 * next start, and a file is removed once sent or once its token expired.
 */
export class ExportFiles implements Downloads {
  private readonly dir: string
  private readonly byJob = new Map<number, Entry>()
  private readonly byToken = new Map<string, number>()

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.dir = path.join(dataDir, 'exports')
    fs.rmSync(this.dir, { recursive: true, force: true })
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 })
  }

  /** The workbook being written for a job, if this host process started it. */
  writerOf(jobId: number): ExportWriter | null {
    return this.byJob.get(jobId)?.writer ?? null
  }

  /** Starts (or starts again) the file of a job: a workbook of one sheet, or a CSV, rows streamed to it. */
  open(jobId: number, staffId: number, fileName: string, sheetName: string, format: ExportFormat = 'xlsx'): ExportWriter {
    this.drop(jobId)
    const file = path.join(this.dir, `${jobId}-${crypto.randomBytes(6).toString('hex')}.${format}`)
    let writer: ExportWriter
    if (format === 'csv') {
      const out = fs.createWriteStream(file, { mode: 0o600 })
      const csv: Extract<ExportWriter, { kind: 'csv' }> = { kind: 'csv', out, text: [], failed: null }
      // a failed write (a full disk) fails the export at finish(); it never reaches the host's loop
      out.on('error', (e) => {
        csv.failed ??= e
      })
      writer = csv
    } else {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
      writer = { kind: 'xlsx', workbook, sheet: workbook.addWorksheet(sheetName) }
    }
    this.byJob.set(jobId, { staffId, file, fileName, format, writer, token: null, expiresAt: null, taken: false })
    return writer
  }

  /** Closes a job's workbook and makes its one-time download. */
  async finish(jobId: number): Promise<void> {
    const e = this.byJob.get(jobId)
    if (!e?.writer) return
    const w = e.writer
    if (w.kind === 'csv') {
      await new Promise<void>((resolve, reject) => {
        w.out.end((e?: Error | null) => {
          const failed = w.failed ?? e ?? null
          if (failed) reject(failed)
          else resolve()
        })
      })
    } else {
      w.sheet.commit()
      await w.workbook.commit()
    }
    e.writer = null
    e.token = crypto.randomBytes(24).toString('base64url')
    e.expiresAt = this.clock.now().getTime() + DOWNLOAD_TTL_MS
    this.byToken.set(e.token, jobId)
  }

  /** The download path of a finished export for the staff member who asked for it; null before, after, or for anyone else. */
  linkFor(jobId: number, staffId: number): string | null {
    this.sweep()
    const e = this.byJob.get(jobId)
    return e && e.staffId === staffId && e.token && !e.taken ? `/files/${e.token}` : null
  }

  take(token: string): DownloadFile | null {
    this.sweep()
    const jobId = this.byToken.get(token)
    const e = jobId === undefined ? undefined : this.byJob.get(jobId)
    this.byToken.delete(token)
    if (!e || e.taken) return null
    e.taken = true
    return { file: e.file, fileName: e.fileName, contentType: CONTENT_TYPE[e.format] }
  }

  sent(file: DownloadFile): void {
    fs.rm(file.file, { force: true }, () => undefined)
  }

  /** Forgets a job's file (a failed or restarted export). */
  drop(jobId: number): void {
    const e = this.byJob.get(jobId)
    if (!e) return
    this.byJob.delete(jobId)
    if (e.token) this.byToken.delete(e.token)
    // a workbook still being written is not ended: on Windows the removal then fails, and the next start clears it
    fs.rm(e.file, { force: true }, () => undefined)
  }

  /** Removes what a host stopping leaves: files not yet fetched, workbooks half-written. */
  close(): void {
    for (const id of [...this.byJob.keys()]) this.drop(id)
  }

  private sweep(): void {
    const now = this.clock.now().getTime()
    for (const [id, e] of this.byJob) {
      if (e.expiresAt !== null && e.expiresAt <= now) this.drop(id)
      else if (e.taken) {
        this.byJob.delete(id)
        if (e.token) this.byToken.delete(e.token)
      }
    }
  }
}
