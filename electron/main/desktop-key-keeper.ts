import fs from 'node:fs'
import path from 'node:path'
import { KEY_KEEPER_ENV, KeyRequest, NEXT_KEY_ENV, type KeyReply } from '../host/db/key-keeper'
import { writeDurably } from '../host/db/rekey'
import { readKeyFile, WRAPPED_KEY_FILE, type KeyWrapper } from './db-key'
import type { DesktopKey } from './desktop-key'

/** Where the desktop keeps the database key between starts, as resolveDesktopKey found it. */
export type KeyHome =
  /** wrapped by the OS key store in the user-data folder */
  | { kind: 'wrapped'; userDataDir: string; wrapper: KeyWrapper }
  /** a key file in a folder the user chose (or KEYUAN_DESKTOP_KEY_FILE named) */
  | { kind: 'key-file'; file: string }
  /** nowhere: typed from the recovery key for this start only */
  | { kind: 'none' }

/** Where a resolved desktop key lives, for the keeper. */
export function keyHomeOf(key: DesktopKey, userDataDir: string, wrapper: KeyWrapper): KeyHome {
  if (key.source === 'key-file') return { kind: 'key-file', file: key.file }
  if (key.source === 'safe-storage' || key.stored) return { kind: 'wrapped', userDataDir, wrapper }
  return { kind: 'none' }
}

const KEY_HEX = /^[0-9a-f]{64}$/

/**
 * The desktop's side of a rekey (issue #18 item 3; the host's side is db/key-keeper.ts): the host
 * asks it to keep the new key as pending before the file switches, to make it the key after, or to
 * forget it. The pending key is written beside the current one the same way (wrapped, or a key
 * file) as `*.next`, so a crash of the host, or of the whole app, at any step leaves both keys kept:
 * the next host start is given both and says which opens the file. Plain Node, so tests run it
 * without Electron; index.ts wires it to the host's process.
 */
export class DesktopKeyKeeper {
  private current: string
  private pending: string | null

  constructor(
    private readonly home: KeyHome,
    keyHex: string,
  ) {
    this.current = keyHex
    this.pending = this.readPending()
  }

  /** The key the host is started with now. */
  get keyHex(): string {
    return this.current
  }

  /** The env a host start is given: the key, the pending key a rekey left (the host settles it), and who keeps them. */
  hostEnv(): Record<string, string> {
    return { KEYUAN_DB_KEY: this.current, [KEY_KEEPER_ENV]: 'parent', ...(this.pending ? { [NEXT_KEY_ENV]: this.pending } : {}) }
  }

  /** Answers one message of the host; null when it is not a key request (the caller handles it). */
  handle(message: unknown): KeyReply | null {
    const parsed = KeyRequest.safeParse(message)
    if (!parsed.success) return null
    const request = parsed.data
    try {
      if (request.op === 'stage') this.stage(request.keyHex)
      else if (request.op === 'commit') this.commit()
      else this.drop()
      return { type: 'db-key-done', id: request.id, ok: true }
    } catch (err) {
      // told to the host, which tells the admin the rekey changed nothing; no path or key in it
      return { type: 'db-key-done', id: request.id, ok: false, why: err instanceof KeeperRefusal ? err.message : 'the key store failed' }
    }
  }

  private stage(keyHex: string): void {
    const file = this.pendingFile()
    if (file === null) throw new KeeperRefusal('the database key was typed from the recovery key and is kept nowhere on this PC')
    if (this.home.kind === 'wrapped') {
      if (!this.home.wrapper.isEncryptionAvailable()) throw new KeeperRefusal('the OS key store is not available')
      writeDurably(file, this.home.wrapper.encryptString(keyHex))
    } else {
      writeDurably(file, `${keyHex}\n`)
    }
    this.pending = keyHex
  }

  private commit(): void {
    const file = this.pendingFile()
    if (file === null || this.pending === null) throw new KeeperRefusal('no new key is pending')
    fs.renameSync(file, this.currentFile()!)
    this.current = this.pending
    this.pending = null
  }

  private drop(): void {
    const file = this.pendingFile()
    if (file !== null) fs.rmSync(file, { force: true })
    this.pending = null
  }

  private currentFile(): string | null {
    if (this.home.kind === 'wrapped') return path.join(this.home.userDataDir, WRAPPED_KEY_FILE)
    if (this.home.kind === 'key-file') return this.home.file
    return null
  }

  private pendingFile(): string | null {
    const file = this.currentFile()
    return file === null ? null : `${file}.next`
  }

  /** A pending key a rekey left on disk; one that does not read is no key (the file kept the current one). */
  private readPending(): string | null {
    const file = this.pendingFile()
    if (file === null || !fs.existsSync(file)) return null
    try {
      if (this.home.kind === 'key-file') return readKeyFile(file)
      if (this.home.kind === 'wrapped') {
        const keyHex = this.home.wrapper.decryptString(fs.readFileSync(file)).trim()
        return KEY_HEX.test(keyHex) ? keyHex : null
      }
    } catch {
      // a pending key cut short by a crash while written: the rekey had not begun its switch
    }
    return null
  }
}

/** A refusal the host may tell the admin as it is (no path, no key). */
class KeeperRefusal extends Error {
  override name = 'KeeperRefusal'
}
