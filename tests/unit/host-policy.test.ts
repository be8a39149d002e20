import { describe, expect, it } from 'vitest'
import { connectSrc, isOwnHost, isOwnOrigin, ownHostNames } from '../../electron/host/lan/host-policy'

const machine = { hostname: 'Branch-PC', addresses: ['127.0.0.1', '192.168.1.20', '::1', 'fe80::1c2:3ff:fe4d:5e6f'] }

describe('the host names itself', () => {
  it('on loopback: only the loopback names with the port', () => {
    const names = ownHostNames({ bind: '127.0.0.1', port: 8640, ...machine })
    expect([...names].sort()).toEqual(['127.0.0.1:8640', '[::1]:8640', 'localhost:8640'])
  })

  it('bound to every interface: also the hostname, its .local name and every interface address', () => {
    const names = ownHostNames({ bind: '0.0.0.0', port: 8640, ...machine })
    for (const h of ['branch-pc:8640', 'branch-pc.local:8640', '192.168.1.20:8640', '[fe80::1c2:3ff:fe4d:5e6f]:8640', 'localhost:8640']) {
      expect(names.has(h)).toBe(true)
    }
    expect(names.has('192.168.1.21:8640')).toBe(false)
  })

  it('bound to one LAN address: that address and the hostname, not the other interfaces', () => {
    const names = ownHostNames({ bind: '192.168.1.20', port: 8640, ...machine })
    expect(names.has('192.168.1.20:8640')).toBe(true)
    expect(names.has('branch-pc:8640')).toBe(true)
    expect(names.has('[fe80::1c2:3ff:fe4d:5e6f]:8640')).toBe(false)
  })

  it('accepts a Host without port only on port 80, where browsers leave it out', () => {
    expect(ownHostNames({ bind: '127.0.0.1', port: 80, ...machine }).has('localhost')).toBe(true)
    expect(ownHostNames({ bind: '127.0.0.1', port: 8640, ...machine }).has('localhost')).toBe(false)
  })
})

describe('Host and Origin checks', () => {
  const names = ownHostNames({ bind: '0.0.0.0', port: 8640, ...machine })

  it('takes our names in any case, and nothing else (DNS rebinding, wrong port, no Host)', () => {
    expect(isOwnHost('LOCALHOST:8640', names)).toBe(true)
    expect(isOwnHost('Branch-PC:8640', names)).toBe(true)
    expect(isOwnHost('attacker.example:8640', names)).toBe(false)
    expect(isOwnHost('127.0.0.1:8641', names)).toBe(false)
    expect(isOwnHost('127.0.0.1', names)).toBe(false)
    expect(isOwnHost('localhost.:8640', names)).toBe(false)
    expect(isOwnHost(undefined, names)).toBe(false)
    expect(isOwnHost('', names)).toBe(false)
  })

  it('takes our own origins only', () => {
    expect(isOwnOrigin('http://127.0.0.1:8640', names)).toBe(true)
    expect(isOwnOrigin('http://branch-pc.local:8640', names)).toBe(true)
    expect(isOwnOrigin('http://evil.example', names)).toBe(false)
    expect(isOwnOrigin('http://127.0.0.1:8640.evil.example', names)).toBe(false)
    expect(isOwnOrigin('http://127.0.0.1:8640/', names)).toBe(false)
    expect(isOwnOrigin('file://', names)).toBe(false)
    expect(isOwnOrigin('null', names)).toBe(false)
    expect(isOwnOrigin('chrome-extension://abc', names)).toBe(false)
  })

  it('lets the page connect to its own host only', () => {
    expect(connectSrc('127.0.0.1:8640')).toBe("connect-src 'self' ws://127.0.0.1:8640")
    // a page served over TLS talks to its WebSocket over TLS too
    expect(connectSrc('pc-01:8640', true)).toBe("connect-src 'self' wss://pc-01:8640")
  })
})
