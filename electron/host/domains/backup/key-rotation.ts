import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { ApiFailure } from '../../api/api-failure'
import type { Clock } from '../../clock'
import { makeRecoveryKey, wrapDbKey } from '../../db/recovery-key'
import { opensWith, pendingKeyPath, pendingRecoveryPath, promotePending, writeDurably } from '../../db/rekey'
import { rekeyFile } from './backup-file'

/** The points between the steps of a rekey (db/rekey.ts); a test stops the process at one to see the next start settle it. */
export type RekeyStep = 'pending-written' | 'ring-written' | 'rekeyed' | 'promoted'

export interface KeyRotationOptions {
  /** the live database file */
  file: string
  /** the key file the host read its key from; null when the key is held elsewhere (KEYUAN_DB_KEY, the desktop's key store) */
  keyFile: string | null
  clock: Clock
  currentKey: () => string
  /** writes the ring under the current key: the audit root (when none yet) and `keyHex` as retired */
  recordRetired: (keyHex: string, at: string) => Promise<void>
  /**
   * closes every connection, runs `change` on the closed file and opens them again with the key it
   * returns (host.ts does it: it owns the connections); calls meanwhile wait, as in a restore
   */
  swapKey: (change: () => Promise<string>) => Promise<void>
  onStep?: (step: RekeyStep) => void
}

/** What a rekey gives the admin: the new recovery key, shown once and stored nowhere. */
export interface Rekeyed {
  recoveryKey: string
  at: string
}

/**
 * Changes the database key and the recovery key (issue #18 item 3): a new random key, a new
 * recovery record, `PRAGMA rekey`, in the crash-safe order db/rekey.ts describes. Backups taken
 * before keep their own key: the ring keeps it (a restore here opens them with it), and the
 * recovery record beside each opens it on another PC with the recovery key of its time.
 */
export async function rotateKey(opts: KeyRotationOptions): Promise<Rekeyed> {
  const { file, keyFile } = opts
  if (keyFile === null) {
    throw new ApiFailure('CONFLICT', 'this host was given its database key from outside (KEYUAN_DB_KEY or the desktop key store); change it there', undefined, 'rekey_key_outside')
  }
  const oldKey = opts.currentKey()
  const newKey = randomBytes(32).toString('hex')
  const recoveryKey = makeRecoveryKey()
  const at = opts.clock.now()
  const record = await wrapDbKey(newKey, recoveryKey, at)
  const abandon = () => {
    fs.rmSync(pendingKeyPath(keyFile), { force: true })
    fs.rmSync(pendingRecoveryPath(file), { force: true })
  }
  // the record first: a pending key without its record is never left behind
  writeDurably(pendingRecoveryPath(file), `${JSON.stringify(record, null, 2)}\n`)
  writeDurably(pendingKeyPath(keyFile), `${newKey}\n`)
  opts.onStep?.('pending-written')
  try {
    await opts.recordRetired(oldKey, at.toISOString())
    opts.onStep?.('ring-written')
  } catch (err) {
    abandon()
    throw err
  }
  await opts.swapKey(async () => {
    try {
      await rekeyFile(file, oldKey, newKey)
    } catch (err) {
      // a failure after the commit (closing) leaves the new key in force: keep it
      if (!opensWith(file, newKey)) {
        abandon()
        throw err
      }
    }
    opts.onStep?.('rekeyed')
    return newKey
  })
  promotePending(file, keyFile)
  opts.onStep?.('promoted')
  return { recoveryKey, at: at.toISOString() }
}
