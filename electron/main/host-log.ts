import fs from 'node:fs'
import path from 'node:path'

export const HOST_LOG_FILE = 'host.log'
/** a log past this size is moved to host.log.1 at start, so a host that keeps failing cannot fill the disk */
const MAX_LOG_BYTES = 5 * 1024 * 1024

/** The host process's error output and the supervisor's notes, in a file the user can hand on. */
export interface HostLog {
  file: string
  /** raw output of the host process */
  write(chunk: string | Buffer): void
  /** one dated line from Electron main */
  note(line: string): void
  /** resolves once everything written is on disk */
  close(): Promise<void>
}

/** Opens (appends to) `<dir>/host.log`, after moving a log grown too big aside. */
export function openHostLog(dir: string, now: () => Date = () => new Date()): HostLog {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, HOST_LOG_FILE)
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`)
  } catch {
    // no log yet
  }
  const out = fs.createWriteStream(file, { flags: 'a', mode: 0o600 })
  // a full disk must not take Electron main down with it
  out.on('error', () => {})
  return {
    file,
    write: (chunk) => void out.write(chunk),
    note: (line) => void out.write(`[${now().toISOString()}] keyuan desktop: ${line}\n`),
    close: () => new Promise<void>((resolve) => out.end(() => resolve())),
  }
}
