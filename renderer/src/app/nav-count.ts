import { useEffect, useSyncExternalStore } from 'react'
import { useReconnected } from '../api/connection'
import { useNoticeBursts } from '../features/work/live-notices'

/** A count shown on a menu entry or tab (pending approvals, open requests): one value shared by the menu and the page that lists the items. */
export class NavCount {
  private value = 0
  private readonly watchers = new Set<() => void>()

  /** Sets the count (the page sets it after a fresh load, so the menu follows at once). */
  set(n: number): void {
    if (n === this.value) return
    this.value = n
    this.watchers.forEach((w) => w())
  }

  readonly subscribe = (w: () => void): (() => void) => {
    this.watchers.add(w)
    return () => this.watchers.delete(w)
  }

  readonly get = (): number => this.value
}

/**
 * The live value of a NavCount: loaded by `load` at once, again on each burst of pushed notices
 * and after a reconnect. `load` null (a role the count is not for): 0. Keep `load` stable (useCallback).
 */
export function useNavCount(count: NavCount, load: (() => Promise<number | null>) | null): number {
  useEffect(() => {
    if (load) void load().then((n) => n !== null && count.set(n))
  }, [count, load])
  const reload = () => {
    if (load) void load().then((n) => n !== null && count.set(n))
  }
  useNoticeBursts(reload)
  useReconnected(reload)
  const n = useSyncExternalStore(count.subscribe, count.get)
  return load ? n : 0
}
