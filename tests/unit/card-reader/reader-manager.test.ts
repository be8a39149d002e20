import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HidDeviceInfo } from '../../../electron/card-reader/device'
import { FakeBackend } from '../../../electron/card-reader/fake-device'
import { parseReaderProfiles } from '../../../electron/card-reader/load-profiles'
import { LEARN_IDLE_MS, ReaderManager, SWIPE_QUIET_MS, type ReaderEvent } from '../../../electron/card-reader/reader-manager'
import { ManualScheduler } from '../../../electron/card-reader/scheduler'
import { fromHex } from '@shared/domain/hex'
import { deviceOf, loadRecording } from './harness'

const BUNDLED = path.resolve(__dirname, '../../../resources/reader-profiles/profiles.json')
// 0x12345678 as card makers print it
const PRINTED = '0305419896'

/** A vendor reader no profile knows, sending reports in the layout of vendor-held-card.json. */
const UNKNOWN_VENDOR: HidDeviceInfo = { path: '/dev/hidraw-new', vendorId: 0x1a2b, productId: 0x9999, usagePage: 0xff00, usage: 1, product: 'New Reader' }
/** A keyboard-type reader no profile knows. */
const UNKNOWN_KEYBOARD: HidDeviceInfo = { path: '/dev/hidraw-kbd', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 1, usage: 6, product: 'Desk Reader' }

/** The payload of each event channel. */
type Payloads = { [E in ReaderEvent as E['channel']]: E['payload'] }

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function setUp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-readers-'))
  dirs.push(dir)
  const learnedFile = path.join(dir, 'reader-profiles.json')
  const scheduler = new ManualScheduler()
  const backend = new FakeBackend(scheduler)
  const events: ReaderEvent[] = []
  const logged: string[] = []
  const manager = new ReaderManager({
    backend,
    profileFiles: [learnedFile, BUNDLED],
    learnedFile,
    platform: 'linux',
    scheduler,
    emit: (e) => events.push(e),
    log: (m) => logged.push(m),
  })
  const of = <C extends keyof Payloads>(channel: C): Array<Payloads[C]> =>
    events.filter((e) => e.channel === channel).map((e) => e.payload as Payloads[C])
  return { dir, learnedFile, scheduler, backend, manager, events, of, logged }
}

/** The reports of a recording, hex in order. */
function reportsOf(name: string): Uint8Array[] {
  return loadRecording(name).events.flatMap((e) => ('bytes' in e ? [e.bytes] : []))
}

/** Sends reports to an open fake device 8 ms apart, then lets the swipe end. */
async function swipe(t: ReturnType<typeof setUp>, devicePath: string, reports: Uint8Array[]) {
  for (const r of reports) {
    t.backend.send(devicePath, r)
    await t.scheduler.advance(8)
  }
  await t.scheduler.advance(SWIPE_QUIET_MS + 10)
}

// card 0x12345678 as the unknown vendor reader sends it: report ID 1, length at 2, xor byte; then lifted
const VENDOR_CARD = ['01000000000000000000000000000000', '010004123456780C0000000000000000', '010004123456780C0000000000000000', '01000000000000000000000000000000'].map(
  (h) => fromHex(h)!,
)
const VENDOR_OTHER_CARD = ['01000704A1B2C3D4E5F6140000000000'].map((h) => fromHex(h)!)

describe('reader manager: the 读卡器 list', () => {
  it('lists every HID interface: open, known, unknown and failed', async () => {
    const t = setUp()
    const kbd = loadRecording('kbd-one-swipe.json')
    const vendor = loadRecording('vendor-held-card.json')
    t.backend.plug(deviceOf(kbd), { events: kbd.events })
    t.backend.plug(deviceOf(vendor))
    t.backend.plug(UNKNOWN_VENDOR)
    await t.manager.start()
    await t.scheduler.advance(100)
    const rows = await t.manager.readers()
    expect(rows.map((r) => [r.path, r.state, r.profile?.id ?? null])).toEqual([
      ['/dev/hidraw-53', 'open', 'usb-id-reader-em4100-10d'],
      ['/dev/hidraw-15437', 'known', 'hid-vendor-reader-example'],
      ['/dev/hidraw-new', 'unknown', null],
    ])
    expect(rows[2]).toMatchObject({ vendorId: 0x1a2b, productId: 0x9999, product: 'New Reader', usagePage: 0xff00 })
    // the open reader reads for every page
    await t.scheduler.advance(1000)
    expect(t.of('card:swipe').map((s) => s.uid)).toEqual(['12345678'])
    await t.manager.stop()
  })

  it('shows a known reader that cannot be opened as failed, with why', async () => {
    const t = setUp()
    const vendor = loadRecording('vendor-held-card.json')
    t.backend.plug(deviceOf(vendor), { openError: new Error('EACCES') })
    await t.manager.start()
    await t.scheduler.advance(100)
    const [row] = await t.manager.readers()
    expect(row).toMatchObject({ state: 'error', profile: { id: 'hid-vendor-reader-example' }, detail: expect.stringContaining('EACCES') })
    await t.manager.stop()
  })

  it('a damaged learned-profiles file is an error on the status light (no path), and the list still answers', async () => {
    const t = setUp()
    fs.writeFileSync(t.learnedFile, '{not json')
    t.backend.plug(UNKNOWN_VENDOR)
    await t.manager.start()
    expect(t.of('card:status').at(-1)).toEqual({ state: 'error', message: expect.not.stringContaining(t.dir) })
    expect((await t.manager.readers()).map((r) => r.state)).toEqual(['unknown'])
    expect(t.logged.join('\n')).toContain(t.learnedFile)
    await t.manager.stop()
  })
})

describe('reader manager: learn mode', () => {
  it('learns an unknown vendor reader from three swipes and the printed number, saves it and reads with it', async () => {
    const t = setUp()
    t.backend.plug(UNKNOWN_VENDOR)
    await t.manager.start()
    await t.scheduler.advance(100)
    expect((await t.manager.readers())[0]?.state).toBe('unknown')

    const started = await t.manager.startLearn(UNKNOWN_VENDOR.path)
    expect(started).toEqual({ ok: true, value: { path: UNKNOWN_VENDOR.path, state: 'listening', swipes: [], needed: 3 } })
    // idle reports between swipes are no swipe
    t.backend.send(UNKNOWN_VENDOR.path, VENDOR_CARD[0]!)
    await t.scheduler.advance(2000)
    expect(t.of('card:learn')).toEqual([])
    // too early: the profile needs three swipes
    expect(t.manager.propose(PRINTED)).toEqual({ ok: false, reason: 'not-enough-swipes' })
    for (let i = 0; i < 3; i++) await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    const progress = t.of('card:learn')
    expect(progress.map((p) => [p.state, p.swipes.length])).toEqual([
      ['listening', 1],
      ['listening', 2],
      ['done', 3],
    ])
    expect(progress[0]?.swipes[0]).toEqual({ reports: 3, firstCardReport: '010004123456780C0000000000000000' })
    // a fourth swipe is not recorded
    await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    expect(t.of('card:learn')).toHaveLength(3)

    expect(t.manager.propose('')).toEqual({ ok: false, reason: 'printed-missing' })
    expect(t.manager.propose('0000000001')).toMatchObject({ ok: false, reason: 'no-fit' })
    const proposal = t.manager.propose(PRINTED, '前台读卡器')
    expect(proposal).toMatchObject({
      ok: true,
      value: {
        profile: { id: 'learned-1a2b-9999', name: '前台读卡器', kind: 'vendor', reportId: 1, lengthByteOffset: 2, uidOffset: 3, checksum: 'xor', uidFormat: 'bytes-be' },
        uids: ['12345678', '12345678', '12345678'],
        raws: ['010004123456780C0000000000000000', '010004123456780C0000000000000000', '010004123456780C0000000000000000'],
        printed: PRINTED,
        decimal: PRINTED,
        certain: true,
      },
    })

    const saving = t.manager.save()
    // the answer already has the reader open with its new profile
    expect(await saving).toMatchObject({ ok: true, value: [{ state: 'open', profile: { id: 'learned-1a2b-9999' } }] })
    const onDisk = parseReaderProfiles(fs.readFileSync(t.learnedFile, 'utf8'), 'learned')
    expect(onDisk.map((p) => p.id)).toEqual(['learned-1a2b-9999'])
    // the reader goes live with the learned profile
    await t.scheduler.advance(100)
    expect((await t.manager.readers())[0]).toMatchObject({ state: 'open', profile: { id: 'learned-1a2b-9999', name: '前台读卡器' } })
    t.backend.send(UNKNOWN_VENDOR.path, VENDOR_CARD[1]!)
    await t.scheduler.advance(10)
    expect(t.of('card:swipe').map((s) => s.uid)).toEqual(['12345678'])
    await t.manager.stop()
  })

  it('learns an unknown keyboard-type reader from recorded key reports', async () => {
    const t = setUp()
    t.backend.plug(UNKNOWN_KEYBOARD)
    await t.manager.start()
    expect(await t.manager.startLearn(UNKNOWN_KEYBOARD.path)).toMatchObject({ ok: true })
    const typed = reportsOf('kbd-one-swipe.json')
    for (let i = 0; i < 3; i++) await swipe(t, UNKNOWN_KEYBOARD.path, typed)
    const proposal = t.manager.propose(PRINTED)
    expect(proposal).toMatchObject({
      ok: true,
      value: { profile: { kind: 'keyboard', uidFormat: 'decimal-10', vendorId: 0x0c2e, productId: 0x0b61 }, raws: [PRINTED, PRINTED, PRINTED], uids: ['12345678', '12345678', '12345678'] },
    })
    const saving = t.manager.save()
    expect(await saving).toMatchObject({ ok: true })
    expect((await t.manager.readers())[0]).toMatchObject({ state: 'open', profile: { id: 'learned-0c2e-0b61' } })
    await t.manager.stop()
  })

  it('a second save replaces the profile of the same id and keeps the others', async () => {
    const t = setUp()
    t.backend.plug(UNKNOWN_VENDOR)
    t.backend.plug(UNKNOWN_KEYBOARD)
    await t.manager.start()
    for (const [device, reports] of [
      [UNKNOWN_KEYBOARD, reportsOf('kbd-one-swipe.json')],
      [UNKNOWN_VENDOR, VENDOR_CARD],
      [UNKNOWN_VENDOR, VENDOR_CARD],
    ] as const) {
      await t.manager.startLearn(device.path)
      for (let i = 0; i < 3; i++) await swipe(t, device.path, reports)
      expect(t.manager.propose(PRINTED)).toMatchObject({ ok: true })
      const saving = t.manager.save()
      expect(await saving).toMatchObject({ ok: true })
    }
    const onDisk = parseReaderProfiles(fs.readFileSync(t.learnedFile, 'utf8'), 'learned')
    expect(onDisk.map((p) => p.id)).toEqual(['learned-1a2b-9999', 'learned-0c2e-0b61'])
    await t.manager.stop()
  })

  it('refuses three swipes of different cards, and starts over on reset', async () => {
    const t = setUp()
    t.backend.plug(UNKNOWN_VENDOR)
    await t.manager.start()
    await t.manager.startLearn(UNKNOWN_VENDOR.path)
    await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    await swipe(t, UNKNOWN_VENDOR.path, VENDOR_OTHER_CARD)
    await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    // without a printed number that fits both, no reading fits; with one that fits no card either
    expect(t.manager.propose(PRINTED)).toMatchObject({ ok: false, reason: 'no-fit' })
    expect(t.manager.resetLearn()).toEqual({ ok: true, value: { path: UNKNOWN_VENDOR.path, state: 'listening', swipes: [], needed: 3 } })
    for (let i = 0; i < 3; i++) await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    expect(t.manager.propose(PRINTED)).toMatchObject({ ok: true })
    await t.manager.stop()
  })

  it('says when the reader is gone, cannot be opened, or is pulled out while learning; the live reader comes back', async () => {
    const t = setUp()
    const kbd = loadRecording('kbd-one-swipe.json')
    t.backend.plug(deviceOf(kbd))
    t.backend.plug(UNKNOWN_VENDOR, { openError: new Error('EACCES') })
    t.backend.plug(UNKNOWN_KEYBOARD)
    await t.manager.start()
    await t.scheduler.advance(100)
    expect(await t.manager.startLearn('/dev/nothing')).toEqual({ ok: false, reason: 'reader-gone' })
    expect(await t.manager.startLearn(UNKNOWN_VENDOR.path)).toEqual({ ok: false, reason: 'open-failed', detail: 'EACCES' })
    await t.scheduler.advance(100)
    expect((await t.manager.readers())[0]?.state).toBe('open')

    expect(await t.manager.startLearn(UNKNOWN_KEYBOARD.path)).toMatchObject({ ok: true })
    // learning pauses the live reader: its light goes out
    expect(t.of('card:status').at(-1)).toEqual({ state: 'none' })
    expect((await t.manager.readers())[0]?.state).toBe('known')
    t.backend.unplug(UNKNOWN_KEYBOARD.path)
    expect(t.of('card:learn').at(-1)).toMatchObject({ state: 'lost' })
    expect(await t.manager.save()).toEqual({ ok: false, reason: 'nothing-to-save' })
    expect(await t.manager.cancelLearn()).toEqual({ ok: true, value: null })
    await t.scheduler.advance(100)
    expect((await t.manager.readers())[0]?.state).toBe('open')
    expect(t.manager.propose(PRINTED)).toEqual({ ok: false, reason: 'not-learning' })
    await t.manager.stop()
  })

  it('a profiles file that cannot be written is save-failed, without its path; learning goes on', async () => {
    const t = setUp()
    // a folder where the file should be: writing it fails
    fs.mkdirSync(t.learnedFile)
    t.backend.plug(UNKNOWN_VENDOR)
    await t.manager.start()
    await t.manager.startLearn(UNKNOWN_VENDOR.path)
    for (let i = 0; i < 3; i++) await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    expect(t.manager.propose(PRINTED)).toMatchObject({ ok: true })
    expect(await t.manager.save()).toEqual({ ok: false, reason: 'save-failed' })
    expect(t.logged.join('\n')).toContain('saving the learned reader profile failed')
    expect(t.manager.propose(PRINTED)).toMatchObject({ ok: true })
    await t.manager.stop()
  })
})

describe('reader manager: a learning session left alone', () => {
  it('ends by itself after LEARN_IDLE_MS without a touch, and the live reader works again; swipes keep it going', async () => {
    const t = setUp()
    const kbd = loadRecording('kbd-one-swipe.json')
    t.backend.plug(deviceOf(kbd))
    t.backend.plug(UNKNOWN_VENDOR)
    await t.manager.start()
    await t.scheduler.advance(100)
    await t.manager.startLearn(UNKNOWN_VENDOR.path)
    expect((await t.manager.readers())[0]?.state).toBe('known')
    // a swipe just before the end restarts the idle clock
    await t.scheduler.advance(LEARN_IDLE_MS - 1000)
    await swipe(t, UNKNOWN_VENDOR.path, VENDOR_CARD)
    await t.scheduler.advance(LEARN_IDLE_MS - 2000)
    expect(t.of('card:learn').map((p) => p.state)).toEqual(['listening'])
    await t.scheduler.advance(3000)
    expect(t.of('card:learn').at(-1)).toMatchObject({ state: 'ended', swipes: [{ reports: 3 }] })
    expect(t.manager.propose(PRINTED)).toEqual({ ok: false, reason: 'not-learning' })
    // the live reader restarts after reading the profile files (real file I/O): wait for it
    await vi.waitFor(async () => {
      await t.scheduler.advance(10)
      expect((await t.manager.readers())[0]?.state).toBe('open')
    })
    await t.manager.stop()
  })
})
