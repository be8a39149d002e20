import { describe, expect, it } from 'vitest'
import { ManualScheduler } from '../../electron/card-reader'
import { HostSupervisor, type SupervisedChild, type SupervisorOptions } from '../../electron/main/host-supervisor'
import type { HostReady } from '../../electron/main/window-policy'

/** A host process the test starts, readies and crashes by hand. */
class FakeChild implements SupervisedChild {
  killed = false
  private message: (m: unknown) => void = () => {}
  private exit: (code: number | null) => void = () => {}
  constructor(readonly port: number) {}
  onMessage(fn: (m: unknown) => void) {
    this.message = fn
  }
  onExit(fn: (code: number | null) => void) {
    this.exit = fn
  }
  kill() {
    this.killed = true
    this.exit(null)
  }
  ready(port = this.port || 43117, firstAdmin: unknown = null) {
    this.message({ type: 'ready', url: `http://127.0.0.1:${port}`, firstAdmin })
  }
  crash(code = 1) {
    this.exit(code)
  }
}

function setup(policy?: SupervisorOptions['policy']) {
  const scheduler = new ManualScheduler()
  const children: FakeChild[] = []
  const readies: Array<{ ready: HostReady; restarted: boolean }> = []
  const crashes: Array<{ code: number | null; quickCrashes: number; restartInMs: number }> = []
  const gaveUp: Array<{ code: number | null; quickCrashes: number }> = []
  const sup = new HostSupervisor({
    fork: (port) => {
      const c = new FakeChild(port)
      children.push(c)
      return c
    },
    scheduler,
    policy,
    onReady: (ready, restarted) => readies.push({ ready, restarted }),
    onCrash: (c) => crashes.push(c),
    onGiveUp: (g) => gaveUp.push(g),
  })
  const last = () => children.at(-1)!
  return { sup, scheduler, children, readies, crashes, gaveUp, last }
}

describe('host supervisor', () => {
  it('restarts a crashed host after 0.5 s on the port its first start got, and says it restarted', async () => {
    const s = setup()
    s.sup.start(0)
    expect(s.last().port).toBe(0)
    s.last().ready(43117, { username: 'admin', password: 'first-pass' })
    expect(s.readies).toEqual([{ ready: { url: 'http://127.0.0.1:43117', firstAdmin: { username: 'admin', password: 'first-pass' } }, restarted: false }])
    s.last().crash(134)
    expect(s.crashes).toEqual([{ code: 134, quickCrashes: 1, restartInMs: 500 }])
    expect(s.sup.state).toBe('waiting')
    await s.scheduler.advance(499)
    expect(s.children).toHaveLength(1)
    await s.scheduler.advance(1)
    expect(s.children).toHaveLength(2)
    expect(s.last().port).toBe(43117)
    s.last().ready()
    expect(s.readies.at(-1)).toEqual({ ready: { url: 'http://127.0.0.1:43117', firstAdmin: null }, restarted: true })
    expect(s.sup.state).toBe('running')
  })

  it('doubles the wait with each quick crash in a row, up to 30 s', async () => {
    const s = setup({ maxQuickCrashes: 100 })
    s.sup.start()
    for (let i = 0; i < 9; i++) {
      s.last().crash()
      await s.scheduler.advance(s.crashes.at(-1)!.restartInMs)
    }
    expect(s.crashes.map((c) => c.restartInMs)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
    expect(s.children).toHaveLength(10)
  })

  it('counts a crash before the host ever served as quick, and asks for any free port again', async () => {
    const s = setup()
    s.sup.start(0)
    s.last().crash()
    await s.scheduler.advance(500)
    expect(s.last().port).toBe(0)
    s.last().crash()
    expect(s.crashes.at(-1)).toMatchObject({ quickCrashes: 2, restartInMs: 1000 })
  })

  it('starts counting again after the host served long enough', async () => {
    const s = setup()
    s.sup.start()
    for (let i = 0; i < 3; i++) {
      s.last().ready()
      s.last().crash()
      await s.scheduler.advance(s.crashes.at(-1)!.restartInMs)
    }
    expect(s.crashes.at(-1)).toMatchObject({ quickCrashes: 3, restartInMs: 2000 })
    s.last().ready()
    await s.scheduler.advance(60_000)
    s.last().crash()
    expect(s.crashes.at(-1)).toMatchObject({ quickCrashes: 1, restartInMs: 500 })
  })

  it('gives up after 8 quick crashes in a row, starts nothing more, and tries afresh when asked', async () => {
    const s = setup()
    s.sup.start()
    for (let i = 0; i < 8; i++) {
      s.last().crash(1)
      if (i < 7) await s.scheduler.advance(s.crashes.at(-1)!.restartInMs)
    }
    expect(s.gaveUp).toEqual([{ code: 1, quickCrashes: 8 }])
    expect(s.crashes).toHaveLength(7)
    expect(s.sup.state).toBe('gave-up')
    await s.scheduler.advance(10 * 60_000)
    expect(s.children).toHaveLength(8)

    s.sup.retry()
    expect(s.children).toHaveLength(9)
    s.last().crash()
    expect(s.crashes.at(-1)).toMatchObject({ quickCrashes: 1, restartInMs: 500 })
  })

  it('does not restart a host it stopped itself, also when stopped during a wait', async () => {
    const s = setup()
    s.sup.start()
    s.last().ready()
    s.sup.stop()
    expect(s.children[0]!.killed).toBe(true)
    expect(s.crashes).toEqual([])

    const t = setup()
    t.sup.start()
    t.last().crash()
    t.sup.stop()
    await t.scheduler.advance(60_000)
    expect(t.children).toHaveLength(1)
    expect(t.sup.state).toBe('stopped')
  })

  it('ignores messages that are not a well-formed ready, and a second ready', () => {
    const s = setup()
    s.sup.start()
    const child = s.last() as unknown as { message: (m: unknown) => void }
    child.message('ready')
    child.message({ type: 'ready', url: 'file:///etc/passwd' })
    expect(s.readies).toEqual([])
    expect(s.sup.state).toBe('starting')
    s.last().ready()
    s.last().ready()
    expect(s.readies).toHaveLength(1)
  })
})
