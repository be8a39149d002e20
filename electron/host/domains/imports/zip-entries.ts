import { crc32 } from 'node:zlib'

/** One file inside a zip (an xlsx is one), read from the central directory, its bytes still compressed. */
export interface ZipEntry {
  name: string
  flags: number
  method: number
  time: number
  date: number
  crc: number
  size: number
  /** the compressed bytes (a view into the zip, not a copy) */
  data: Buffer
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
/** general-purpose flag bit 3: sizes and CRC come after the data (streaming writers set it) */
const DATA_DESCRIPTOR = 0x8
/** bit 11: the name is UTF-8 */
const UTF8_NAME = 0x800

/**
 * The entries of a zip held in memory, in central-directory order; null when it is not a zip this
 * reader takes (no end record, ZIP64, encrypted entries, or offsets outside the bytes).
 */
export function zipEntries(zip: Buffer): ZipEntry[] | null {
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
  const entries: ZipEntry[] = []
  for (let k = 0; k < count; k++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) return null
    const flags = zip.readUInt16LE(p + 8)
    const compressed = zip.readUInt32LE(p + 20)
    const size = zip.readUInt32LE(p + 24)
    const nameLen = zip.readUInt16LE(p + 28)
    const local = zip.readUInt32LE(p + 42)
    if (flags & 1 || compressed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) return null
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) return null
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    if (start + compressed > zip.length) return null
    entries.push({
      name: zip.toString('utf8', p + 46, p + 46 + nameLen),
      flags,
      method: zip.readUInt16LE(p + 10),
      time: zip.readUInt16LE(p + 12),
      date: zip.readUInt16LE(p + 14),
      crc: zip.readUInt32LE(p + 16),
      size,
      data: zip.subarray(start, start + compressed),
    })
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32)
  }
  return entries
}

/** A stored (uncompressed) entry made here, e.g. a part the workbook lacks. */
export function storedEntry(name: string, content: string): ZipEntry {
  const data = Buffer.from(content, 'utf8')
  return { name, flags: UTF8_NAME, method: 0, time: 0, date: 0x21, crc: crc32(data), size: data.length, data }
}

/**
 * A zip of `entries` in the order given, as chunks to stream (the entries' bytes are not copied):
 * each local header carries its sizes (no trailing data descriptors), then the central directory.
 */
export function zipChunks(entries: readonly ZipEntry[]): Buffer[] {
  const chunks: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const flags = (e.flags & ~DATA_DESCRIPTOR) | UTF8_NAME
    const local = Buffer.alloc(30)
    local.writeUInt32LE(LOCAL, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(e.method, 8)
    local.writeUInt16LE(e.time, 10)
    local.writeUInt16LE(e.date, 12)
    local.writeUInt32LE(e.crc, 14)
    local.writeUInt32LE(e.data.length, 18)
    local.writeUInt32LE(e.size, 22)
    local.writeUInt16LE(name.length, 26)
    chunks.push(local, name)
    // an empty chunk (a folder entry) stalls a piped stream's reader: none is passed on
    if (e.data.length > 0) chunks.push(e.data)
    const c = Buffer.alloc(46)
    c.writeUInt32LE(CENTRAL, 0)
    c.writeUInt16LE(20, 4)
    c.writeUInt16LE(20, 6)
    c.writeUInt16LE(flags, 8)
    c.writeUInt16LE(e.method, 10)
    c.writeUInt16LE(e.time, 12)
    c.writeUInt16LE(e.date, 14)
    c.writeUInt32LE(e.crc, 16)
    c.writeUInt32LE(e.data.length, 20)
    c.writeUInt32LE(e.size, 24)
    c.writeUInt16LE(name.length, 28)
    c.writeUInt32LE(offset, 42)
    central.push(c, name)
    offset += 30 + name.length + e.data.length
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(EOCD, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return [...chunks, ...central, end]
}
