import { describe, expect, it } from 'vitest'
import { deviceOf, harness, loadRecording, recordingNames } from './harness'

// Every recorded sequence, replayed through the fake device into the real service: the
// swipes and refusals it yields are the ones the recording says it should.
describe('recorded report sequences', () => {
  it('there are recordings for keyboard and vendor readers', () => {
    const names = recordingNames()
    expect(names.some((n) => n.startsWith('kbd-'))).toBe(true)
    expect(names.some((n) => n.startsWith('vendor-'))).toBe(true)
  })

  for (const name of recordingNames()) {
    const rec = loadRecording(name)
    it(`${name}: ${rec.description}`, async () => {
      const h = harness()
      h.backend.plug(deviceOf(rec), { events: rec.events })
      h.service.start()
      const end = Math.max(0, ...rec.events.map((e) => e.t))
      await h.scheduler.advance(end + 1000)
      expect(h.swipes.map((s) => s.uid)).toEqual(rec.expect.swipes)
      expect(h.rejected.map((r) => r.reason)).toEqual(rec.expect.rejected)
      expect(h.statuses[0]).toMatchObject({ state: 'connected' })
      for (const s of h.swipes) {
        expect(s.profile.vendorId).toBe(rec.device.vendorId)
        expect(s.reports.length).toBeGreaterThan(0)
        expect(Number.isNaN(Date.parse(s.at))).toBe(false)
      }
      const unplugged = rec.events.some((e) => 'event' in e)
      expect(h.service.status().state).toBe(unplugged ? 'none' : 'connected')
      await h.service.stop()
    })
  }

  it('the same card read by a card-order reader and a reversed reader gives one UID', async () => {
    const uids: string[] = []
    for (const name of ['kbd-one-swipe.json', 'kbd-mifare-le.json']) {
      const rec = loadRecording(name)
      const h = harness()
      h.backend.plug(deviceOf(rec), { events: rec.events })
      h.service.start()
      await h.scheduler.advance(2000)
      uids.push(...h.swipes.map((s) => s.uid))
      expect(h.swipes[0]?.raw).toBe(name === 'kbd-one-swipe.json' ? '0305419896' : '2018915346')
    }
    expect(uids).toEqual(['12345678', '12345678'])
  })
})
