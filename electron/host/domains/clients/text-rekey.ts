import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { orgNameKey } from './client-columns'
import { refreshDerived } from './client-derived'
import { readSetting, writeSetting } from '../settings/settings.repository'
import { clientByOrgKey, liveClientNames, setOrgNameKey } from './clients.repository'

/**
 * The fold (foldKey) that stored search terms and org name keys were computed with. 1: NFKC,
 * lower case, no whitespace. 2: also no control or format characters (zero-width, bidi), so a
 * name stored with a zero-width space is found, and duplicate-checked, as the plain name.
 * Bump it whenever foldKey changes, with the characters that fold differently below.
 */
export const TEXT_FOLD_VERSION = 2
const SETTING = 'text_fold_version'

/** Characters folded differently since version 1: names holding one need their keys again. */
const FOLDS_DIFFERENTLY = /[\p{Cc}\p{Cf}\u034F]/u

export interface RekeyResult {
  /** clients whose search terms (and org name key) were computed again */
  rekeyed: number
  /** org clients whose new key another client already holds: left as they were, for a manager to merge */
  orgKeyTaken: number[]
}

/**
 * Once per fold version, at start: recomputes the search terms and org name keys of clients whose
 * stored names hold characters the fold now drops (names stored before the text kinds refused or
 * stripped them). Derived data only: the names themselves are left as entered, and audited.
 * Names are scanned in memory (SQL cannot tell a format character); a branch has at most a few
 * hundred thousand clients, one short read, and only the affected rows are written.
 */
export async function refreshTextKeys(db: Kysely<DB>, now: string): Promise<RekeyResult> {
  return db.transaction().execute(async (trx) => {
    const done = await readSetting(trx, SETTING)
    if (done !== undefined && Number(done) >= TEXT_FOLD_VERSION) return { rekeyed: 0, orgKeyTaken: [] }
    const rows = await liveClientNames(trx)
    const result: RekeyResult = { rekeyed: 0, orgKeyTaken: [] }
    for (const r of rows.filter((row) => FOLDS_DIFFERENTLY.test(row.name))) {
      if (r.kind === 'org') {
        const key = orgNameKey(r.name)
        const holder = key === r.org_name_key ? null : await clientByOrgKey(trx, key)
        if (holder && holder.id !== r.id) result.orgKeyTaken.push(r.id)
        else if (key !== r.org_name_key) await setOrgNameKey(trx, r.id, key)
      }
      await refreshDerived(trx, r.id)
      result.rekeyed++
    }
    await writeSetting(trx, SETTING, String(TEXT_FOLD_VERSION), now)
    return result
  })
}
