import { describe, expect, it } from 'vitest'
import { parseHostArgs } from '../../electron/host/cli-args'

describe('host command line', () => {
  it('has defaults and resolves the data folder', () => {
    expect(parseHostArgs([], '/srv')).toEqual({ data: '/srv/.data', port: 8640, bind: '127.0.0.1', demo: false, help: false })
  })
  it('reads flags in both forms', () => {
    expect(parseHostArgs(['--data', 'x', '--port=0', '--demo'], '/srv')).toMatchObject({ data: '/srv/x', port: 0, demo: true })
  })
  it('names the bad flag', () => {
    expect(() => parseHostArgs(['--port', 'abc'], '/')).toThrow(/--port/)
    expect(() => parseHostArgs(['--port', '70000'], '/')).toThrow(/--port/)
    expect(() => parseHostArgs(['--colour'], '/')).toThrow(/unknown option: --colour/)
    expect(() => parseHostArgs(['--data'], '/')).toThrow(/--data needs a value/)
  })
})
