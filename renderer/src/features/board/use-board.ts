import { useCallback, useEffect, useRef, useState } from 'react'
import type { OutputOf } from '../../../../shared/contract'
import type { ApiErrorShape } from '../../../../shared/contract/common'
import { useApi } from '../../api/session-context'

export type BoardData = OutputOf<'board.get'>
export type BoardUnit = BoardData['units'][number]

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

/** Keeps every unchanged unit object of `prev`, so React.memo skips its cell. */
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

/** The live board of a project: loaded once, refetched and reconciled on every `board.changed` push for it. */
export function useBoard(projectId: number | null) {
  const api = useApi()
  const [board, setBoard] = useState<BoardData | null>(null)
  const [error, setError] = useState<ApiErrorShape | null>(null)
  const [loading, setLoading] = useState(false)
  const inFlight = useRef<Promise<void> | null>(null)
  const again = useRef(false)

  const load = useCallback(async () => {
    if (projectId === null) return
    // one fetch at a time; pushes during a fetch fold into one more fetch after it
    if (inFlight.current) {
      again.current = true
      return inFlight.current
    }
    const run = (async () => {
      do {
        again.current = false
        const r = await api.try('board.get', { projectId })
        if (r.ok) {
          setBoard((prev) => reconcile(prev, r.value))
          setError(null)
        } else setError(r.error)
      } while (again.current)
    })()
    inFlight.current = run
    try {
      await run
    } finally {
      inFlight.current = null
    }
  }, [api, projectId])

  useEffect(() => {
    setBoard(null)
    if (projectId === null) return
    setLoading(true)
    void load().finally(() => setLoading(false))
    const off = api.on('board.changed', (e) => {
      if (e.projectId === projectId) void load()
    })
    return off
  }, [api, projectId, load])

  return { board, error, loading, reload: load }
}
