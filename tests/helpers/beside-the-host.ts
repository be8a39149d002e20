import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import type { Host } from '../../electron/host/host'

/** A second connection to the host's database, as a backup tool or another program would open it. */
export function sideConnection(host: Host): Database.Database {
  const side = new Database(path.join(host.dataDir, DB_FILE_NAME))
  side.pragma(`cipher='sqlcipher'`)
  side.pragma('legacy=4')
  side.pragma(`key="x'${resolveHeadlessKey(host.dataDir, {}).keyHex}'"`)
  return side
}

/** Holds the host's one writer in an open transaction (every write waits; reads go on beside it) until the returned release is awaited. */
export async function holdWriter(host: Host): Promise<() => Promise<void>> {
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  let entered!: () => void
  const inside = new Promise<void>((r) => (entered = r))
  const held = host.pool.writer.transaction().execute(async () => {
    entered()
    await gate
  })
  await inside
  return async () => {
    release()
    await held
  }
}
