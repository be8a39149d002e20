import { Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'
import type { ZipEntry } from './zip-entries'

/** A merged block of cells, 1-based rows and columns, inclusive. */
export interface MergeRange {
  top: number
  left: number
  bottom: number
  right: number
}

function columnNumber(letters: string): number {
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n
}

/**
 * The merged blocks of the workbook's first sheet. exceljs' streaming reader skips `<mergeCell>`
 * (it comes after the rows in the sheet's XML), so the sheet is inflated once more here, as a
 * stream, and only those elements are picked out: a block's value is its top-left cell's, and a
 * column merged down a few rows (one agent for a group of clients) fills each of those rows.
 */
export async function sheetMerges(entries: readonly ZipEntry[]): Promise<MergeRange[]> {
  // the first worksheet in the order exceljs reads them (xlsxInReadingOrder keeps the sheets' order)
  const entry = entries.find((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))
  if (!entry || (entry.method !== 0 && entry.method !== 8)) return []
  const source = Readable.from([entry.data])
  const text = entry.method === 8 ? source.pipe(createInflateRaw()) : source
  const out: MergeRange[] = []
  const pattern = /<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/g
  let carry = ''
  for await (const chunk of text as AsyncIterable<Buffer>) {
    const s = carry + chunk.toString('utf8')
    let last = 0
    for (const m of s.matchAll(pattern)) {
      out.push({ left: columnNumber(m[1]!), top: Number(m[2]), right: columnNumber(m[3]!), bottom: Number(m[4]) })
      last = m.index + m[0].length
    }
    // an element cut by the chunk's end is matched with the next chunk
    carry = s.slice(Math.max(last, s.length - 64))
  }
  return out
}
