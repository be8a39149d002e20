import { describe, expect, it } from 'vitest'
import { runCrashTrials } from '../crash/crash-harness'

// The bounded run of the kill -9 harness (the full one is `npm run crash`): real host processes on
// one real encrypted data folder, written to over HTTP and killed with SIGKILL mid-write.
describe('kill -9 while writing', () => {
  it('after each SIGKILL and restart every acknowledged write is there, integrity_check is ok and the audit chain verifies', async () => {
    const figures = await runCrashTrials({ trials: 2, maxKillAfterMs: 800, budgetMs: 60_000 })
    expect(figures.problems).toEqual([])
    expect(figures.trials).toBe(2)
    expect(figures.acknowledged).toBeGreaterThan(0)
    expect(figures).toMatchObject({ lost: 0, integrityFailures: 0, auditFailures: 0 })
  }, 120_000)
})
