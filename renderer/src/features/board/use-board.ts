import { useCallback, useEffect, useRef, useState } from 'react'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { statusTotals } from '@shared/domain/board-totals'
import { useReconnected } from '../../api/connection'
import { useApi } from '../../api/session-context'

export type BoardData = OutputOf<'board.get'>
export type BoardUnit = BoardData['units'][number]

/**
 * The last boards seen in this session (per sign-in token, never shared between users: what a
 * board shows depends on who looks). Reopening a board paints the remembered one at once and
 * refreshes it behind; only cells that changed meanwhile repaint.
 */
const seen: { token: string | undefined; boards: Map<number, BoardData> } = { token: undefined, boards: new Map() }
const SEEN_MAX = 3

export function remembered(token: string | undefined, projectId: number): BoardData | null {
  return token !== undefined && seen.token === token ? (seen.boards.get(projectId) ?? null) : null
}

export function remember(token: string | undefined, board: BoardData): void {
  if (token === undefined) return
  if (seen.token !== token) seen.boards.clear()
  seen.token = token
  seen.boards.delete(board.project.id)
  seen.boards.set(board.project.id, board)
  if (seen.boards.size > SEEN_MAX) seen.boards.delete(seen.boards.keys().next().value!)
}

/** A push naming more units than this refetches the whole board (a bulk price change, an import). */
const PATCH_LIMIT = 500

/** Same unit as before (status, version and deal unchanged)? Then the old object is kept so its cell does not repaint. */
function sameUnit(a: BoardUnit, b: BoardUnit): boolean {
  return (
    a.version === b.version &&
    a.status === b.status &&
    a.listPrice === b.listPrice &&
    (a.tx?.updatedAt ?? null) === (b.tx?.updatedAt ?? null) &&
    (a.tx?.paid ?? null) === (b.tx?.paid ?? null) &&
    (a.tx?.clientName ?? null) === (b.tx?.clientName ?? null)
  )
}

/** Keeps every unchanged unit object of `prev`, so the grid skips its cell. */
export function reconcile(prev: BoardData | null, next: BoardData): BoardData {
  if (!prev || prev.project.id !== next.project.id) return next
  const old = new Map(prev.units.map((u) => [u.id, u]))
  let changed = prev.units.length !== next.units.length
  const units = next.units.map((u) => {
    const o = old.get(u.id)
    if (o && sameUnit(o, u)) return o
    changed = true
    return u
  })
  return changed ? { ...next, units } : { ...next, units: prev.units }
}

/**
 * Puts freshly read units into the board; null when one of them is not on it (a new unit: the
 * caller reloads the whole board). Totals are recomputed here, the same way the host does.
 */
export function patchUnits(board: BoardData, fresh: readonly BoardUnit[], generatedAt: string): BoardData | null {
  const byId = new Map(fresh.map((u) => [u.id, u]))
  let found = 0
  let changed = false
  const units = board.units.map((u) => {
    const f = byId.get(u.id)
    if (!f) return u
    found++
    if (sameUnit(u, f)) return u
    changed = true
    return f
  })
  if (found !== byId.size) return null
  if (!changed) return board
  return { ...board, units, totals: statusTotals(units), generatedAt }
}

/**
 * The live board of a project: loaded once; a `board.changed` push refetches only the units it
 * names (a full reload when it names none or very many). One request at a time: pushes that arrive
 * meanwhile are gathered into the next one.
 */
export function useBoard(projectId: number | null) {
  const api = useApi()
  const [board, setBoard] = useState<BoardData | null>(null)
  const [error, setError] = useState<ApiErrorShape | null>(null)
  const [loading, setLoading] = useState(false)
  const current = useRef<BoardData | null>(null)
  const pending = useRef<{ full: boolean; ids: Set<number> }>({ full: false, ids: new Set() })
  const running = useRef<Promise<void> | null>(null)
  /** bumped when the project changes: a drain of the previous project stops applying */
  const generation = useRef(0)

  const apply = useCallback((next: BoardData) => {
    remember(api.token, next)
    current.current = next
    setBoard(next)
    setError(null)
  }, [api])

  const drain = useCallback(async () => {
    if (projectId === null) return
    const gen = generation.current
    while (gen === generation.current && (pending.current.full || pending.current.ids.size > 0)) {
      const { full, ids } = pending.current
      pending.current = { full: false, ids: new Set() }
      const have = current.current?.project.id === projectId ? current.current : null
      if (!full && have) {
        const r = await api.try('board.units', { projectId, unitIds: [...ids] })
        if (gen !== generation.current) return
        performance.mark('board:units')
        if (r.ok) {
          const patched = patchUnits(current.current ?? have, r.value.units, r.value.generatedAt)
          if (patched) {
            if (patched !== current.current) apply(patched)
            continue
          }
        }
        // a unit the board does not have, or the patch failed: read the whole board
      }
      performance.mark('board:get')
      const r = await api.try('board.get', { projectId })
      if (gen !== generation.current) return
      performance.mark('board:loaded')
      if (r.ok) apply(reconcile(current.current?.project.id === projectId ? current.current : null, r.value))
      else setError(r.error)
    }
  }, [api, projectId, apply])

  const request = useCallback(
    (unitIds: readonly number[] | null) => {
      const p = pending.current
      if (unitIds === null || unitIds.length === 0 || p.ids.size + unitIds.length > PATCH_LIMIT) p.full = true
      else for (const id of unitIds) p.ids.add(id)
      if (!running.current) {
        const run = drain().finally(() => {
          if (running.current === run) running.current = null
        })
        running.current = run
      }
      return running.current
    },
    [drain],
  )

  const reload = useCallback(() => request(null), [request])
  // the board follows pushes: the missed ones were replayed, unless the host no longer had them all
  useReconnected(({ refetch }) => {
    if (refetch) void reload()
  })

  useEffect(() => {
    generation.current++
    running.current = null
    pending.current = { full: false, ids: new Set() }
    const cached = projectId === null ? null : remembered(api.token, projectId)
    current.current = cached
    setBoard(cached)
    if (projectId === null) return
    setLoading(true)
    // a remembered board paints first; its refresh waits for the next frame so it does not hold the paint up
    let deferred = 0
    if (cached) deferred = requestAnimationFrame(() => void request(null).finally(() => setLoading(false)))
    else void request(null).finally(() => setLoading(false))
    const off = api.on('board.changed', (e) => {
      if (e.projectId !== projectId) return
      // marks let the benchmark split a push's latency into its legs
      performance.mark('board:push')
      void request(e.unitIds)
    })
    return () => {
      cancelAnimationFrame(deferred)
      off()
    }
  }, [api, projectId, request])

  return { board, error, loading, reload }
}
