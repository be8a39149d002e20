import fs from 'node:fs'
import path from 'node:path'
import { CardReaderService, type CardReadRejected, type CardSwipe, type ReaderStatus } from '../../../electron/card-reader/card-reader-service'
import type { HidDeviceInfo } from '../../../electron/card-reader/device'
import { FakeBackend, ReportRecording } from '../../../electron/card-reader/fake-device'
import { parseReaderProfiles } from '../../../electron/card-reader/load-profiles'
import type { ReaderProfile } from '../../../electron/card-reader/reader-profile'
import { ManualScheduler } from '../../../electron/card-reader/scheduler'

export const FIXTURES = path.join(__dirname, '../../fixtures/card-reader')
const PROFILES_FILE = path.join(__dirname, '../../../resources/reader-profiles/profiles.json')

/** The bundled reader profiles. */
export const bundledProfiles: ReaderProfile[] = parseReaderProfiles(fs.readFileSync(PROFILES_FILE, 'utf8'), PROFILES_FILE)

/** Every recording in tests/fixtures/card-reader by file name. */
export function recordingNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
}

/** A recording, validated. */
export function loadRecording(name: string): ReportRecording {
  return ReportRecording.parse(JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')))
}

/** The HID device a recording was made on, at an OS path of our choosing. */
export function deviceOf(rec: ReportRecording, devicePath = `/dev/hidraw-${rec.device.productId}`): HidDeviceInfo {
  return { path: devicePath, ...rec.device }
}

/** A reader service on a fake backend and a manual clock, recording everything it emits. */
export function harness(opts: { platform?: string; profiles?: ReaderProfile[]; pollIntervalMs?: number } = {}) {
  const scheduler = new ManualScheduler()
  const backend = new FakeBackend(scheduler)
  const service = new CardReaderService({
    backend,
    profiles: opts.profiles ?? bundledProfiles,
    platform: opts.platform ?? 'linux',
    scheduler,
    pollIntervalMs: opts.pollIntervalMs,
  })
  const swipes: CardSwipe[] = []
  const rejected: CardReadRejected[] = []
  const statuses: ReaderStatus[] = []
  service.onSwipe((s) => swipes.push(s))
  service.onRejected((r) => rejected.push(r))
  service.onStatus((s) => statuses.push(s))
  return { scheduler, backend, service, swipes, rejected, statuses, states: () => statuses.map((s) => s.state) }
}
