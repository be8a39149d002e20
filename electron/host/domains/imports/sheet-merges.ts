import { Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'

/** A merged block of cells, 1-based rows and columns, inclusive. */
export interface MergeRange {
  top: number
  left: number
  bottom: number
  right: number
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

function columnNumber(letters: string): number {
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n
}

/** The compressed bytes and method of the first worksheet entry (in the order exceljs reads them). */
function firstSheetEntry(zip: Buffer): { data: Buffer; method: number } | null {
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const count = zip.readUInt16LE(eocd + 10)
  let p = zip.readUInt32LE(eocd + 16)
  for (let k = 0; k < count && p + 46 <= zip.length; k++) {
    if (zip.readUInt32LE(p) !== CENTRAL) return null
    const method = zip.readUInt16LE(p + 10)
    const size = zip.readUInt32LE(p + 20)
    const nameLen = zip.readUInt16LE(p + 28)
    const skip = nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32)
    const local = zip.readUInt32LE(p + 42)
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen)
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name) && local + 30 <= zip.length && zip.readUInt32LE(local) === LOCAL) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
      return { data: zip.subarray(start, start + size), method }
    }
    p += 46 + skip
  }
  return null
}

/**
 * The merged blocks of the workbook's first sheet. exceljs' streaming reader skips `<mergeCell>`
 * (it comes after the rows in the sheet's XML), so the sheet is inflated once more here, as a
 * stream, and only those elements are picked out: a block's value is its top-left cell's, and a
 * column merged down a few rows (one agent for a group of clients) fills each of those rows.
 */
export async function sheetMerges(zip: Buffer): Promise<MergeRange[]> {
  const entry = firstSheetEntry(zip)
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
