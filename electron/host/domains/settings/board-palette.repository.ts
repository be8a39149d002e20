import type { Kysely } from 'kysely'
import { BoardPalette } from '@shared/contract/board'
import { DEFAULT_PALETTE, type UnitStatus } from '@shared/domain/unit-status'
import type { DB } from '../../db/schema'

const KEY = 'boardPalette'

/** The board colours: the stored ones over the built-in ones (a stored colour that is not `#rrggbb` is ignored). */
export async function getBoardPalette(db: Kysely<DB>): Promise<{ palette: Record<UnitStatus, string>; custom: boolean }> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return { palette: { ...DEFAULT_PALETTE }, custom: false }
  let stored: unknown
  try {
    stored = JSON.parse(row.value)
  } catch {
    return { palette: { ...DEFAULT_PALETTE }, custom: false }
  }
  const palette = { ...DEFAULT_PALETTE }
  const shape = BoardPalette.shape
  for (const s of Object.keys(palette) as UnitStatus[]) {
    const v = (stored as Record<string, unknown> | null)?.[s]
    if (shape[s].safeParse(v).success) palette[s] = v as string
  }
  return { palette, custom: true }
}

/** Stores the board colours, or with null removes them so the built-in ones apply again. */
export async function saveBoardPalette(db: Kysely<DB>, palette: Record<UnitStatus, string> | null, now: string): Promise<void> {
  if (palette === null) {
    await db.deleteFrom('settings').where('key', '=', KEY).execute()
    return
  }
  const value = JSON.stringify(palette)
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute()
}
