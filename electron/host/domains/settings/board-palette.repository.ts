import type { Kysely } from 'kysely'
import { BoardPalette } from '@shared/contract/board'
import { DEFAULT_PALETTE, type UnitStatus } from '@shared/domain/unit-status'
import type { DB } from '../../db/schema'
import { deleteSetting, readSetting, writeSetting } from './settings.repository'

const KEY = 'boardPalette'

/** The board colours: the stored ones over the built-in ones (a stored colour that is not `#rrggbb` is ignored). */
export async function getBoardPalette(db: Kysely<DB>): Promise<{ palette: Record<UnitStatus, string>; custom: boolean }> {
  const value = await readSetting(db, KEY)
  if (value === undefined) return { palette: { ...DEFAULT_PALETTE }, custom: false }
  let stored: unknown
  try {
    stored = JSON.parse(value)
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
  if (palette === null) await deleteSetting(db, KEY)
  else await writeSetting(db, KEY, JSON.stringify(palette), now)
}
