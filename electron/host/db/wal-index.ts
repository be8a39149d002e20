import fs from 'node:fs'

/**
 * The WAL's length in frames (mxFrame) and how many of them are copied into the database file
 * (nBackfill), read from the shared-memory index beside it: the first copy of its header, then
 * WalCkptInfo at byte 96 (native byte order; little-endian on the PCs we run on). Zeros when
 * there is none. A read of 100 bytes, cheap enough to do after a commit now and then.
 */
export function walIndex(dbFile: string): { frames: number; backfilled: number } {
  let fd: number | undefined
  try {
    fd = fs.openSync(`${dbFile}-shm`, 'r')
    const b = Buffer.alloc(100)
    if (fs.readSync(fd, b, 0, 100, 0) < 100) return { frames: 0, backfilled: 0 }
    return { frames: b.readUInt32LE(16), backfilled: b.readUInt32LE(96) }
  } catch {
    return { frames: 0, backfilled: 0 }
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
