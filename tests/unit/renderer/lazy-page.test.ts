import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadWithRetries, prefetchWhenIdle, type PageChunk } from '../../../renderer/src/app/lazy-page'

describe("a page's code that does not load", () => {
  it('is fetched again after each wait until it loads (the host was away a moment)', async () => {
    const waits: number[] = []
    let tries = 0
    let gaveUp = false
    const module = await loadWithRetries(
      async () => {
        tries++
        if (tries < 3) throw new TypeError('Failed to fetch dynamically imported module')
        return { Page: 'page' }
      },
      [10, 20, 40],
      () => (gaveUp = true),
      async (ms) => void waits.push(ms),
    )
    expect(module).toEqual({ Page: 'page' })
    expect(tries).toBe(3)
    expect(waits).toEqual([10, 20])
    expect(gaveUp).toBe(false)
  })

  it('after the last wait the app reloads (an update renamed the chunk) and the page stays loading', async () => {
    let tries = 0
    let gaveUp = 0
    const loading = loadWithRetries(
      async () => {
        tries++
        throw new TypeError('Failed to fetch dynamically imported module')
      },
      [1, 2],
      () => gaveUp++,
      async () => {},
    )
    const settled = await Promise.race([loading.then(() => 'settled', () => 'rejected'), new Promise((r) => setTimeout(() => r('pending'), 50))])
    expect(settled).toBe('pending')
    expect(tries).toBe(3)
    expect(gaveUp).toBe(1)
  })
})

describe('pages loaded ahead in the background', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A chunk whose prefetch is recorded and settles when the test says. */
  function chunk(name: string, log: string[], settle: Map<string, () => void>): PageChunk {
    return {
      Page: () => null,
      prefetch: () =>
        new Promise<void>((resolve) => {
          log.push(name)
          settle.set(name, resolve)
        }),
    }
  }

  it('start after the delay, one at a time, each when the browser is idle; cancelling stops the rest', async () => {
    vi.useFakeTimers()
    const log: string[] = []
    const settle = new Map<string, () => void>()
    const idle: (() => void)[] = []
    const cancel = prefetchWhenIdle(['a', 'b', 'c'].map((n) => chunk(n, log, settle)), 1_000, (run) => void idle.push(run))
    vi.advanceTimersByTime(999)
    expect(idle).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(log).toEqual([])
    idle.shift()?.()
    expect(log).toEqual(['a'])
    // the next waits for the first to finish
    expect(idle).toHaveLength(0)
    settle.get('a')?.()
    await vi.waitFor(() => expect(idle).toHaveLength(1))
    idle.shift()?.()
    expect(log).toEqual(['a', 'b'])
    cancel()
    settle.get('b')?.()
    await Promise.resolve()
    await Promise.resolve()
    expect(idle).toHaveLength(0)
    expect(log).toEqual(['a', 'b'])
  })

  it('a sign-out before the delay loads nothing', () => {
    vi.useFakeTimers()
    const log: string[] = []
    const idle: (() => void)[] = []
    prefetchWhenIdle([chunk('a', log, new Map())], 1_000, (run) => void idle.push(run))()
    vi.advanceTimersByTime(5_000)
    expect(idle).toHaveLength(0)
    expect(log).toEqual([])
  })
})
