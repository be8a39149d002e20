import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeBackend, ReportRecording } from '../../../electron/card-reader/fake-device'
import { fromHex, toHex } from '@shared/domain/hex'
import { ManualScheduler, systemScheduler } from '../../../electron/card-reader/scheduler'

afterEach(() => {
  vi.useRealTimers()
})

describe('schedulers', () => {
  it('the manual scheduler fires due timers in time order, including ones set while advancing', async () => {
    const s = new ManualScheduler(1000)
    const fired: string[] = []
    s.setTimeout(() => fired.push('b@20'), 20)
    s.setTimeout(() => {
      fired.push('a@10')
      s.setTimeout(() => fired.push('c@15'), 5)
    }, 10)
    const cancelled = s.setTimeout(() => fired.push('never'), 5)
    s.clearTimeout(cancelled)
    s.setTimeout(() => fired.push('d@20'), 20)
    await s.advance(19)
    expect(fired).toEqual(['a@10', 'c@15'])
    expect(s.now()).toBe(1019)
    await s.advance(1)
    expect(fired).toEqual(['a@10', 'c@15', 'b@20', 'd@20'])
    expect(s.pending()).toBe(0)
  })

  it('the system scheduler uses the real timers (faked here) and can cancel', () => {
    vi.useFakeTimers({ now: 5000 })
    const s = systemScheduler()
    const fired: number[] = []
    s.setTimeout(() => fired.push(s.now()), 100)
    const cancelled = s.setTimeout(() => fired.push(-1), 50)
    s.clearTimeout(cancelled)
    s.clearTimeout(cancelled)
    vi.advanceTimersByTime(100)
    expect(fired).toEqual([5100])
  })
})

describe('fake backend and recordings', () => {
  it('recordings are validated: hex bytes, known steps, expectations', () => {
    const base = { description: 'd', origin: 'o', device: { vendorId: '0xffff', productId: 1 }, expect: { swipes: [], rejected: [] } }
    expect(ReportRecording.parse({ ...base, events: [{ t: 0, bytes: '00 01:02' }, { t: 5, event: 'unplug' }] }).events).toEqual([
      { t: 0, bytes: new Uint8Array([0, 1, 2]) },
      { t: 5, event: 'unplug' },
    ])
    for (const events of [[{ t: 0, bytes: 'xyz' }], [{ t: 0, bytes: '001' }], [{ t: -1, bytes: '00' }], [{ t: 0, event: 'replug' }], [{ t: 0 }]]) {
      expect(ReportRecording.safeParse({ ...base, events }).success).toBe(false)
    }
  })

  it('a device that is not plugged in cannot be opened; reports to an unopened device go nowhere', async () => {
    const s = new ManualScheduler()
    const b = new FakeBackend(s)
    const info = { path: 'p', vendorId: 1, productId: 2 }
    const d = b.device(info)
    await expect(d.open()).rejects.toThrow('could not open HID device')
    b.plug(info)
    const seen: string[] = []
    d.onData((r) => seen.push(toHex(r)))
    b.send('p', new Uint8Array([1]))
    await d.open()
    await d.open()
    b.send('p', new Uint8Array([2]))
    await d.close()
    b.send('p', new Uint8Array([3]))
    b.fail('p', new Error('x'))
    expect(seen).toEqual(['02'])
  })

  it('replays a recording once, relative to the open', async () => {
    const s = new ManualScheduler()
    const b = new FakeBackend(s)
    const info = { path: 'p', vendorId: 1, productId: 2 }
    b.plug(info, { events: [{ t: 10, bytes: new Uint8Array([7]) }] })
    const seen: string[] = []
    const d1 = b.device(info)
    d1.onData((r) => seen.push(`1:${toHex(r)}@${s.now()}`))
    await s.advance(100)
    await d1.open()
    await s.advance(10)
    await d1.close()
    const d2 = b.device(info)
    d2.onData((r) => seen.push(`2:${toHex(r)}`))
    await d2.open()
    await s.advance(100)
    expect(seen).toEqual([`1:07@${s.now() - 100}`])
  })
})

describe('hex helpers', () => {
  it('round-trip bytes and refuse what is not hex', () => {
    expect(toHex(new Uint8Array([0, 0xab, 0x10]))).toBe('00AB10')
    expect(toHex([0x1ff])).toBe('FF')
    expect(fromHex('00ab10')).toEqual(new Uint8Array([0, 0xab, 0x10]))
    expect(fromHex('')).toEqual(new Uint8Array())
    expect(fromHex('abc')).toBeNull()
    expect(fromHex('zz')).toBeNull()
  })
})
