import type { UnitRecord } from '../units/units.repository'
import type { UnitStatus } from '@shared/domain/unit-status'

/** What a board is read from, before it is shaped for a viewer (toUnit) at the time of the call. */
export interface BoardRecords {
  project: { id: number; name: string; district: string | null }
  records: readonly UnitRecord[]
  buildings: ReadonlyArray<{ id: number; name: string; floors: number; perFloor: number }>
  palette: Readonly<Record<UnitStatus, string>>
}

/** Boards kept at once: a branch sells a handful of projects; the least recently read goes first. */
const MAX_BOARDS = 16

/**
 * The boards last read, kept while the writer has changed nothing a board shows
 * (SqliteWorkerPool.boardGeneration, counted by BoardWrites before any caller hears of the
 * write). Every terminal on a busy day asks for the same board several times a minute; each such
 * read is otherwise half a dozen statements on a reader, on a page cache every write elsewhere has
 * emptied. Only the rows are kept: each call still shapes them for its viewer and its time (a
 * hold that ran out shows as available without any write).
 */
export class BoardCache {
  private readonly boards = new Map<number, { generation: number; board: BoardRecords }>()

  constructor(private readonly generation: () => number) {}

  /**
   * The board of `projectId` as kept, or `read` (then kept). The generation is taken before
   * `read` opens its snapshot: a write that lands meanwhile moves it, so the rows are never kept
   * past a change they do not show.
   */
  async get(projectId: number, read: () => Promise<BoardRecords>): Promise<BoardRecords> {
    const generation = this.generation()
    const kept = this.boards.get(projectId)
    if (kept && kept.generation === generation) {
      this.boards.delete(projectId)
      this.boards.set(projectId, kept)
      return kept.board
    }
    const board = await read()
    this.boards.delete(projectId)
    this.boards.set(projectId, { generation, board })
    if (this.boards.size > MAX_BOARDS) this.boards.delete(this.boards.keys().next().value!)
    return board
  }
}
