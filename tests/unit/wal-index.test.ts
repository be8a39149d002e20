import { describe, expect, it } from 'vitest'
import { RESTART_SPACING, restartLookDelay, walSizeLimit, WAL_KEEP_FRACTION } from '../../electron/host/db/wal-index'

describe('the writer’s WAL restarts', () => {
  it('look again after the usual second when a RESTART was quick, and ten RESTARTs’ length after a slow one', () => {
    expect(restartLookDelay(0, 1000)).toBe(1000)
    expect(restartLookDelay(40, 1000)).toBe(1000)
    expect(restartLookDelay(100, 1000)).toBe(1000)
    // a busy disk: 300 ms of copying and syncing, then 3 s before the next look (a tenth of the writer's time)
    expect(restartLookDelay(300, 1000)).toBe(3000)
    expect(700 / (700 + restartLookDelay(700, 1000))).toBeLessThanOrEqual(1 / RESTART_SPACING)
  })

  it('keep a quarter of the bound when the WAL starts again', () => {
    expect(walSizeLimit(4096, 4096)).toBe(32 + Math.floor(4096 * WAL_KEEP_FRACTION) * (4096 + 24))
  })
})
