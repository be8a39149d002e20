import { describe, expect, it } from 'vitest'
import { keptStandbyAddresses, STANDBY_ADDRESSES_KEY, standbyLinks } from '../../renderer/src/app/standby-links'

// The offline banner's links to a promoted standby (issue #18 item 9): the page's scheme and port,
// the standby's address; nothing for the page's own host, nothing from unreadable storage.

describe("the offline banner's standby links", () => {
  it('puts each standby address on the page’s scheme and port, v6 in brackets, without the page’s own origin', () => {
    expect(standbyLinks('https://192.168.1.20:8640/clients/3?tab=1', ['192.168.1.21', '[fd00::5]', '192.168.1.20', '192.168.1.21'])).toEqual([
      'https://192.168.1.21:8640',
      'https://[fd00::5]:8640',
    ])
    expect(standbyLinks('https://host.local:8640/', [])).toEqual([])
  })

  it('reads only a list of strings back from storage', () => {
    const store = (v: string | null) => ({ getItem: (k: string) => (k === STANDBY_ADDRESSES_KEY ? v : null) })
    expect(keptStandbyAddresses(store(JSON.stringify(['10.0.0.9'])))).toEqual(['10.0.0.9'])
    expect(keptStandbyAddresses(store('{"a":1}'))).toEqual([])
    expect(keptStandbyAddresses(store('not json'))).toEqual([])
    expect(keptStandbyAddresses(store(JSON.stringify(['10.0.0.9', 7])))).toEqual(['10.0.0.9'])
    expect(keptStandbyAddresses(store(null))).toEqual([])
  })
})
