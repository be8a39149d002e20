import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { advertiseHost, findHosts } from '../../electron/host/pairing/discovery'

// mDNS on the machine's own link: one announcement and one listen
describe('finding hosts by mDNS/DNS-SD', () => {
  it('a terminal finds an announced host with its port, addresses it can type and its 核对码', async () => {
    const name = `Keyuan test ${crypto.randomBytes(4).toString('hex')}`
    const logged: string[] = []
    const stop = advertiseHost({ name, port: 18640, shortCode: '97F6 7620 4185 9FD2 11EF F088 2724 EA7B', log: (m) => logged.push(m) })
    try {
      // bounded: it stops as soon as this host is heard, at the latest after 5 s
      const hosts = await findHosts(5000, (found) => found.some((h) => h.name === name))
      const mine = hosts.find((h) => h.name === name)
      expect(mine).toMatchObject({ port: 18640, shortCode: '97F6 7620 4185 9FD2 11EF F088 2724 EA7B' })
      expect(mine!.urls.length).toBeGreaterThan(0)
      expect(mine!.urls.every((u) => /^https:\/\/(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):18640$/.test(u))).toBe(true)
      expect(mine!.addresses.some((a) => a.toLowerCase().startsWith('fe80:'))).toBe(false)
    } finally {
      await stop()
    }
    expect(logged).toEqual([])
  })
})
