import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { ApiFailure } from '../../api/api-failure'
import type { Clock } from '../../clock'
import { makeRecoveryKey, wrapDbKey } from '../../db/recovery-key'
import { KeyKeeperRefused, type KeyKeeper } from '../../db/key-keeper'
import { opensWith, pendingRecoveryPath, promotePendingRecord, writeDurably } from '../../db/rekey'
import { rekeyFile } from './backup-file'

/** The points between the steps of a rekey (db/rekey.ts); a test stops the process at one to see the next start settle it. */
export type RekeyStep = 'pending-written' | 'ring-written' | 'rekeyed' | 'promoted'

export interface KeyRotationOptions {
  /** the live database file */
  file: string
  /** who keeps the key between starts (the key file, the desktop's key owner); null when nobody here can change it (KEYUAN_DB_KEY) */
  keeper: KeyKeeper | null
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
  log?: (msg: string) => void
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
  const { file, keeper } = opts
  if (keeper === null) {
    throw new ApiFailure('CONFLICT', 'this host was given its database key in KEYUAN_DB_KEY; change it there', undefined, 'rekey_key_outside')
  }
  const oldKey = opts.currentKey()
  const newKey = randomBytes(32).toString('hex')
  const recoveryKey = makeRecoveryKey()
  const at = opts.clock.now()
  const record = await wrapDbKey(newKey, recoveryKey, at)
  const abandon = async () => {
    await keeper.drop()
    fs.rmSync(pendingRecoveryPath(file), { force: true })
  }
  // the record first: a pending key without its record is never left behind
  writeDurably(pendingRecoveryPath(file), `${JSON.stringify(record, null, 2)}\n`)
  try {
    await keeper.stage(newKey)
  } catch (err) {
    await abandon().catch(() => {})
    if (!(err instanceof KeyKeeperRefused)) throw err
    throw new ApiFailure('CONFLICT', `the new database key could not be kept (${err.message}); nothing changed`, undefined, 'rekey_key_unkept')
  }
  opts.onStep?.('pending-written')
  try {
    await opts.recordRetired(oldKey, at.toISOString())
    opts.onStep?.('ring-written')
  } catch (err) {
    await abandon()
    throw err
  }
  await opts.swapKey(async () => {
    try {
      await rekeyFile(file, oldKey, newKey)
    } catch (err) {
      // a failure after the commit (closing) leaves the new key in force: keep it
      if (!opensWith(file, newKey)) {
        await abandon()
        throw err
      }
    }
    opts.onStep?.('rekeyed')
    return newKey
  })
  promotePendingRecord(file)
  try {
    await keeper.commit()
  } catch (err) {
    // the switch is done and the new recovery key must still be shown: the keeper kept the key as
    // pending, and the next start finds the file opens with it and commits it
    opts.log?.(`the key owner did not confirm keeping the new database key (${(err as Error).message}); the next start settles it`)
  }
  opts.onStep?.('promoted')
  return { recoveryKey, at: at.toISOString() }
}
