import { describe, expect, it } from 'vitest'
import { CardReaderService } from '../../../electron/card-reader/card-reader-service'
import type { CardReaderBackend, HidDeviceInfo } from '../../../electron/card-reader/device'
import { fromHex } from '@shared/domain/hex'
import { ReaderProfile } from '../../../electron/card-reader/reader-profile'
import { ManualScheduler } from '../../../electron/card-reader/scheduler'
import { bundledProfiles, deviceOf, harness, loadRecording } from './harness'

const EM: HidDeviceInfo = { path: '/dev/hidraw1', vendorId: 0xffff, productId: 0x0035, usagePage: 1, usage: 6, product: 'USB ID Reader' }
const VENDOR: HidDeviceInfo = { path: '/dev/hidraw2', vendorId: 0x1a2b, productId: 0x3c4d, usagePage: 0xff00, usage: 1 }
const MOUSE: HidDeviceInfo = { path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc077, usagePage: 1, usage: 2 }
const oneSwipe = loadRecording('kbd-one-swipe.json')
const vendorSwipe = '010004123456780C0000000000000000'

describe('card reader service: plugging and unplugging', () => {
  it('reports none, then connects when a reader is plugged in within one poll', async () => {
    const h = harness()
    const start = h.scheduler.now()
    h.backend.plug(MOUSE)
    h.service.start()
    await h.scheduler.advance(0)
    expect(h.states()).toEqual(['none'])
    h.backend.plug(EM, { events: oneSwipe.events })
    await h.scheduler.advance(1999)
    expect(h.states()).toEqual(['none'])
    await h.scheduler.advance(1)
    expect(h.statuses[1]).toMatchObject({ state: 'connected', profile: { id: 'usb-id-reader-em4100-10d' }, device: EM })
    await h.scheduler.advance(1000)
    expect(h.swipes).toMatchObject([{ uid: '12345678', raw: '0305419896', profile: { id: 'usb-id-reader-em4100-10d' } }])
    // opened at the 2 s poll; Enter is 160 ms into the recording
    expect(h.swipes[0]?.at).toBe(new Date(start + 2000 + 160).toISOString())
  })

  it('unplugging goes straight to none, and plugging back reconnects without a restart', async () => {
    const h = harness()
    h.backend.plug(VENDOR)
    h.service.start()
    await h.scheduler.advance(0)
    h.backend.send(VENDOR.path, fromHex(vendorSwipe) ?? new Uint8Array())
    h.backend.unplug(VENDOR.path)
    await h.scheduler.advance(0)
    expect(h.states()).toEqual(['connected', 'none'])
    h.backend.plug(VENDOR)
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['connected', 'none', 'connected'])
    h.backend.send(VENDOR.path, fromHex(vendorSwipe) ?? new Uint8Array())
    // a new connection has a new parser: the same card is a new swipe
    expect(h.swipes.map((s) => s.uid)).toEqual(['12345678', '12345678'])
    expect(h.rejected).toEqual([])
  })

  it('notices a reader that vanished from the list even if its read thread said nothing', async () => {
    const h = harness()
    h.backend.plug(VENDOR)
    h.service.start()
    await h.scheduler.advance(0)
    // the device disappears from enumeration, but no read error arrives
    h.backend.vanish(VENDOR.path)
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['connected', 'none'])
  })

  it('an unplug in the middle of a read reports the partial read', async () => {
    const h = harness()
    h.backend.plug(EM, { events: loadRecording('kbd-unplug-mid-read.json').events })
    h.service.start()
    await h.scheduler.advance(1000)
    expect(h.rejected).toMatchObject([{ reason: 'disconnected', detail: 'reader gone after "03054"' }])
    expect(h.states()).toEqual(['connected', 'none'])
  })

  it('a reader that fails but stays plugged in shows an error, then is reopened at the next poll', async () => {
    const h = harness()
    h.backend.plug(VENDOR)
    h.service.start()
    await h.scheduler.advance(0)
    h.backend.fail(VENDOR.path, new Error('I/O error'))
    await h.scheduler.advance(0)
    expect(h.statuses[1]).toEqual({ state: 'error', message: 'reader "HID 免驱读卡器 (厂商报告, 长度前缀 UID + 异或校验)" stopped: I/O error', profile: expect.objectContaining({ id: 'hid-vendor-reader-example' }) })
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['connected', 'error', 'connected'])
  })

  it('opens the reader of the first matching profile and ignores other HID devices', async () => {
    const h = harness()
    h.backend.plug(MOUSE)
    h.backend.plug(VENDOR)
    h.backend.plug(EM)
    h.service.start()
    await h.scheduler.advance(0)
    expect(h.service.status()).toMatchObject({ state: 'connected', device: EM })
  })

  it('reports status changes only', async () => {
    const h = harness()
    h.service.start()
    await h.scheduler.advance(10_000)
    expect(h.states()).toEqual(['none'])
    h.backend.plug(EM)
    await h.scheduler.advance(10_000)
    expect(h.states()).toEqual(['none', 'connected'])
  })
})

describe('card reader service: platforms and failures', () => {
  it('Windows: a keyboard-type reader is not opened; the status hands swipes to burst detection', async () => {
    const h = harness({ platform: 'win32' })
    h.backend.plug(EM, { events: oneSwipe.events })
    h.service.start()
    await h.scheduler.advance(2000)
    expect(h.statuses).toEqual([
      { state: 'keyboard-wedge', profile: expect.objectContaining({ uidFormat: 'decimal-10' }), device: EM, reason: expect.stringContaining('Windows') },
    ])
    expect(h.swipes).toEqual([])
    h.backend.unplug(EM.path)
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['keyboard-wedge', 'none'])
  })

  it('Windows: vendor readers are read directly', async () => {
    const h = harness({ platform: 'win32' })
    h.backend.plug(VENDOR, { events: loadRecording('vendor-unplug.json').events })
    h.service.start()
    await h.scheduler.advance(1000)
    expect(h.swipes.map((s) => s.uid)).toEqual(['12345678'])
    expect(h.states()).toEqual(['connected', 'none'])
  })

  it('Linux without hidraw permission: a keyboard-type reader falls back to burst detection, and is read once allowed', async () => {
    const h = harness({ platform: 'linux' })
    h.backend.plug(EM, { openError: new Error('cannot open device with path /dev/hidraw1') })
    h.service.start()
    await h.scheduler.advance(4000)
    expect(h.statuses).toEqual([{ state: 'keyboard-wedge', profile: expect.anything(), device: EM, reason: expect.stringContaining('udev') }])
    h.backend.plug(EM)
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['keyboard-wedge', 'connected'])
  })

  it('a vendor reader that cannot be opened is an error, retried every poll', async () => {
    const h = harness()
    h.backend.plug(VENDOR, { openError: new Error('busy') })
    h.service.start()
    await h.scheduler.advance(0)
    expect(h.statuses).toEqual([{ state: 'error', message: expect.stringContaining('busy'), profile: expect.anything() }])
    h.backend.plug(VENDOR)
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['error', 'connected'])
  })

  it('enumeration failing is an error when no reader is open, and recovers', async () => {
    const h = harness()
    h.backend.failList(new Error('node-hid is not available: no binary'))
    h.service.start()
    await h.scheduler.advance(0)
    expect(h.statuses).toEqual([{ state: 'error', message: 'cannot list HID devices: node-hid is not available: no binary' }])
    h.backend.failList(null)
    h.backend.plug(VENDOR)
    await h.scheduler.advance(2000)
    expect(h.states()).toEqual(['error', 'connected'])
    // with a reader open, a failing enumeration does not disturb it
    h.backend.failList(new Error('flaky'))
    await h.scheduler.advance(2000)
    h.backend.send(VENDOR.path, fromHex(vendorSwipe) ?? new Uint8Array())
    expect(h.states()).toEqual(['error', 'connected'])
    expect(h.swipes).toHaveLength(1)
  })

  it('a read that decodes to no UID is rejected with the reason', async () => {
    const h = harness()
    h.backend.plug(VENDOR)
    h.service.start()
    await h.scheduler.advance(0)
    h.backend.send(VENDOR.path, fromHex('01000301020303000000000000000000') ?? new Uint8Array())
    expect(h.rejected).toMatchObject([{ reason: 'bad-length', reports: ['01000301020303000000000000000000'], profile: { id: 'hid-vendor-reader-example' } }])
  })

  it('a partial keyboard read times out on the scheduler, without real waiting', async () => {
    const h = harness()
    h.backend.plug(EM, { events: oneSwipe.events.slice(0, 6) })
    h.service.start()
    // the last key of the recording is at 32 ms; the timeout is 500 ms
    await h.scheduler.advance(531)
    expect(h.rejected).toEqual([])
    await h.scheduler.advance(1)
    expect(h.rejected).toMatchObject([{ reason: 'timeout', detail: 'no Enter after "030"' }])
  })
})

describe('card reader service: start and stop', () => {
  it('stop closes the reader, cancels timers and emits nothing more', async () => {
    const h = harness()
    h.backend.plug(EM, { events: oneSwipe.events })
    h.service.start()
    h.service.start()
    await h.scheduler.advance(0)
    await h.service.stop()
    await h.scheduler.advance(5000)
    expect(h.swipes).toEqual([])
    expect(h.scheduler.pending()).toBe(0)
    expect(h.states()).toEqual(['connected'])
  })

  it('stop during a slow enumeration or open leaves nothing open', async () => {
    const scheduler = new ManualScheduler()
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    let closed = 0
    const backend: CardReaderBackend = {
      list: async () => [VENDOR],
      device: (info) => ({
        info,
        open: () => gate,
        close: async () => void closed++,
        onData: () => () => undefined,
        onError: () => () => undefined,
      }),
    }
    const service = new CardReaderService({ backend, profiles: bundledProfiles, platform: 'linux', scheduler })
    service.start()
    await scheduler.advance(0)
    const stopping = service.stop()
    release()
    await stopping
    await scheduler.advance(0)
    expect(closed).toBeGreaterThanOrEqual(1)
    expect(service.status()).toEqual({ state: 'none' })
    expect(scheduler.pending()).toBe(0)
  })

  it('an open that fails because of a stop reports nothing', async () => {
    const scheduler = new ManualScheduler()
    let reject: (e: Error) => void = () => undefined
    const backend: CardReaderBackend = {
      list: async () => [VENDOR],
      device: (info) => ({
        info,
        open: () => new Promise<void>((_, r) => (reject = r)),
        close: async () => undefined,
        onData: () => () => undefined,
        onError: () => () => undefined,
      }),
    }
    const service = new CardReaderService({ backend, profiles: bundledProfiles, platform: 'linux', scheduler })
    const statuses: string[] = []
    service.onStatus((s) => statuses.push(s.state))
    service.start()
    await scheduler.advance(0)
    const stopping = service.stop()
    reject(new Error('reader closed while opening'))
    await stopping
    await scheduler.advance(5000)
    expect(statuses).toEqual([])
  })

  it('failures that are not Error objects are reported with their text', async () => {
    const scheduler = new ManualScheduler()
    const backend: CardReaderBackend = {
      list: () => Promise.reject('hidapi exploded'),
      device: () => {
        throw new Error('unused')
      },
    }
    const service = new CardReaderService({ backend, profiles: bundledProfiles, platform: 'linux', scheduler })
    service.start()
    await scheduler.advance(0)
    expect(service.status()).toEqual({ state: 'error', message: 'cannot list HID devices: hidapi exploded' })
    await service.stop()
  })

  it('listeners can unsubscribe', async () => {
    const h = harness()
    const seen: string[] = []
    const off = h.service.onSwipe((s) => seen.push(s.uid))
    h.backend.plug(VENDOR)
    h.service.start()
    await h.scheduler.advance(0)
    h.backend.send(VENDOR.path, fromHex(vendorSwipe) ?? new Uint8Array())
    off()
    h.backend.send(VENDOR.path, fromHex('01000000000000000000000000000000') ?? new Uint8Array())
    h.backend.send(VENDOR.path, fromHex(vendorSwipe) ?? new Uint8Array())
    expect(seen).toEqual(['12345678'])
    expect(h.swipes).toHaveLength(2)
  })

  it('uses learned profiles first when they are listed first', async () => {
    const learned = ReaderProfile.parse({ id: 'learned', name: 'learned', vendorId: 0xffff, productId: 0x35, kind: 'keyboard', uidFormat: 'decimal-10-le' })
    const h = harness({ profiles: [learned, ...bundledProfiles] })
    h.backend.plug(deviceOf(oneSwipe, EM.path), { events: oneSwipe.events })
    h.service.start()
    await h.scheduler.advance(1000)
    expect(h.swipes).toMatchObject([{ uid: '78563412', profile: { id: 'learned' } }])
  })
})
