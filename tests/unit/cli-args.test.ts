import { describe, expect, it } from 'vitest'
import { parseHostArgs } from '../../electron/host/cli-args'

describe('host command line', () => {
  it('has defaults and resolves the data folder', () => {
    expect(parseHostArgs([], '/srv')).toEqual({ data: '/srv/.data', port: 8640, bind: '127.0.0.1', demo: false, demoClients: 300, help: false, check: false, tls: false, promote: false })
  })
  it('reads flags in both forms', () => {
    expect(parseHostArgs(['--data', 'x', '--port=0', '--demo', '--demo-clients', '100000'], '/srv')).toMatchObject({ data: '/srv/x', port: 0, demo: true, demoClients: 100000 })
  })
  it('takes --tls to serve HTTPS on loopback too', () => {
    expect(parseHostArgs(['--tls', '--bind', '127.0.0.1'], '/srv')).toMatchObject({ tls: true, bind: '127.0.0.1' })
  })
  it('names the bad flag', () => {
    expect(() => parseHostArgs(['--port', 'abc'], '/')).toThrow(/--port/)
    expect(() => parseHostArgs(['--port', '70000'], '/')).toThrow(/--port/)
    expect(() => parseHostArgs(['--colour'], '/')).toThrow(/unknown option: --colour/)
    expect(() => parseHostArgs(['--data'], '/')).toThrow(/--data needs a value/)
    expect(() => parseHostArgs(['--demo-clients', '-5'], '/')).toThrow(/--demo-clients/)
  })
  it('takes --recover <file> resolved against the working folder (the recovery key itself is never a flag)', () => {
    expect(parseHostArgs(['--recover', 'usb/keyuan-20261206-100000.db'], '/srv')).toMatchObject({ recover: '/srv/usb/keyuan-20261206-100000.db' })
    expect(parseHostArgs([], '/srv').recover).toBeUndefined()
    expect(() => parseHostArgs(['--recover'], '/')).toThrow(/--recover needs a value/)
    expect(() => parseHostArgs(['--recovery-key', 'ABCDEF'], '/')).toThrow(/unknown option/)
  })

  it('takes --key-file, resolved against the working folder, in both forms', () => {
    expect(parseHostArgs(['--key-file', '/etc/keyuan/keyuan.key'], '/srv')).toMatchObject({ data: '/srv/.data', keyFile: '/etc/keyuan/keyuan.key' })
    expect(parseHostArgs(['--key-file=secrets/k'], '/srv')).toMatchObject({ keyFile: '/srv/secrets/k' })
    expect(parseHostArgs([], '/srv').keyFile).toBeUndefined()
    expect(() => parseHostArgs(['--key-file'], '/')).toThrow(/--key-file needs a value/)
    expect(() => parseHostArgs(['--key-file='], '/')).toThrow(/--key-file/)
  })

  it('takes --follow <address> (a standby) and --promote, never both', () => {
    expect(parseHostArgs(['--data', 'sb', '--follow', '192.168.1.20:8640'], '/srv')).toMatchObject({ data: '/srv/sb', follow: '192.168.1.20:8640', promote: false })
    expect(parseHostArgs(['--promote'], '/srv')).toMatchObject({ promote: true })
    expect(() => parseHostArgs(['--follow'], '/')).toThrow(/--follow needs a value/)
    expect(() => parseHostArgs(['--follow', 'h', '--promote'], '/')).toThrow(/--follow and --promote/)
  })
})
