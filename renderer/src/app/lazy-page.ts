import { lazy, type ComponentType } from 'react'
import type { PageProps } from './routes'

/** How long to wait before each new try of a page's code that did not load (ms); then the app reloads. */
export const PAGE_LOAD_RETRIES_MS = [1_000, 2_000, 4_000, 8_000, 15_000]

/**
 * Loads `load` again after each failure, waiting the given delays; after the last it calls
 * `giveUp` (which reloads the app) and stays pending. A chunk cannot load while the host is away
 * (the banner says so) or after an update renamed it: the first comes back by retrying, the second
 * only by loading the new index.
 */
export async function loadWithRetries<M>(load: () => Promise<M>, delaysMs: readonly number[], giveUp: () => void, wait = sleep): Promise<M> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await load()
    } catch {
      const delay = delaysMs[attempt]
      if (delay === undefined) {
        giveUp()
        return new Promise<M>(() => {})
      }
      await wait(delay)
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A page whose code is its own chunk: `Page` renders it (loading it first), `prefetch` loads it ahead. */
export interface PageChunk {
  Page: ComponentType<PageProps>
  /** fetches and runs the page's module without showing it; a failure is left for `Page` to retry */
  prefetch(): Promise<void>
}

/**
 * A page whose code is fetched the first time it is opened (`pick` names the component in the
 * module). The sign-in page and the shell then no longer wait for every area's code (ag-grid,
 * echarts, the lunar calendar...): a terminal's browser used to download and compile all of it on
 * every load.
 */
export function pageChunk<M>(load: () => Promise<M>, pick: (module: M) => ComponentType<PageProps>): PageChunk {
  return {
    Page: lazy(async () => ({ default: pick(await loadWithRetries(load, PAGE_LOAD_RETRIES_MS, () => window.location.reload())) })),
    prefetch: () => load().then(
      () => undefined,
      () => undefined,
    ),
  }
}

/** How long after sign-in the pages not opened yet start loading in the background (ms). */
export const PREFETCH_AFTER_MS = 30_000

/**
 * Loads the given pages one at a time when the browser is idle, starting `afterMs` after the call:
 * a counter PC keeps the app open all day, and a page first opened while the host is away (a
 * restart, a cable) then still opens. Returns what cancels it (on sign-out).
 */
export function prefetchWhenIdle(chunks: readonly PageChunk[], afterMs = PREFETCH_AFTER_MS, whenIdle: (run: () => void) => void = (run) => requestIdleCallback(run)): () => void {
  let cancelled = false
  const next = (i: number) => {
    if (cancelled || i >= chunks.length) return
    whenIdle(() => {
      if (!cancelled) void chunks[i]?.prefetch().then(() => next(i + 1))
    })
  }
  const timer = setTimeout(() => next(0), afterMs)
  return () => {
    cancelled = true
    clearTimeout(timer)
  }
}
