import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEVICE_REVOKED_CLOSE } from '../../electron/host/pairing/lan-pairing'
import { spawnChild, type ChildChannel } from '../helpers/child-channel'
import { STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD } from '../helpers/temp-host'

// Issue #17 item 6: the host and three office PCs as four processes on 127.0.0.1. The host serves
// TLS with the loopback exemption off, so each terminal must pair as on the LAN; each terminal
// pairs with the real pair client, pins the branch CA and talks over WSS with the renderer's own
// transport. The processes are started once and the cases follow one another on them (CI time).

interface HostReady {
  url: string
  impostorUrl: string
  projectId: number
  shortCode: string
}
interface Answer {
  ok: boolean
  value?: unknown
  error?: { code: string; reason?: string; params?: Record<string, unknown> }
}
interface TerminalState {
  connection: { kind: string } | null
  heard: number[][]
  reconnects: Array<{ refetch: boolean }>
  closes: number[]
}

const env = { KEYUAN_SCRYPT_COST: '1024' }
let host: ChildChannel<HostReady>
let lan: HostReady
const terminals: Array<ChildChannel<unknown>> = []
const deviceIds: number[] = []
const state = (i: number) => terminals[i]!.send<TerminalState>('state')
const call = (i: number, method: string, input: unknown) => terminals[i]!.send<Answer>('call', { method, input })

beforeAll(async () => {
  host = spawnChild<HostReady>('tests/helpers/lan-host-child.ts', env)
  for (let i = 0; i < 3; i++) terminals.push(spawnChild('tests/helpers/lan-terminal-child.ts', env))
  lan = await host.ready
  await Promise.all(terminals.map((t) => t.ready))
}, 120_000)

afterAll(async () => {
  await Promise.all([...terminals, host].filter(Boolean).map((c) => c.stop()))
})

describe('three terminal processes and a host process on loopback TLS', () => {
  it('pairs each terminal with a code the admin opened, pinning the branch CA; each then signs in over WSS', async () => {
    const people = [
      { name: '店长电脑', username: 'lan-manager', password: STAFF_PASSWORD },
      { name: '经纪人电脑', username: 'lan-agent', password: STAFF_PASSWORD },
      { name: '前台电脑', username: 'admin', password: ADMIN_PASSWORD },
    ]
    // before pairing a terminal is refused by the host: it has nothing to pin yet, and no code
    const wrong = await terminals[0]!.send<Answer>('pair', { address: lan.url, code: 'AAAAA-AAAAA', name: '猜' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'pairing_closed' } })
    for (const [i, p] of people.entries()) {
      const code = await host.send<string>('openPairing')
      const paired = await terminals[i]!.send<Answer>('pair', { address: lan.url, code, name: p.name })
      expect(paired).toMatchObject({ ok: true, value: { shortCode: lan.shortCode } })
      deviceIds.push((paired.value as { deviceId: number }).deviceId)
      expect(await terminals[i]!.send<Answer>('connect', { username: p.username, password: p.password })).toMatchObject({ ok: true })
    }
    const devices = await host.send<Array<{ id: number; name: string; signedIn: string | null; revokedAt: string | null }>>('devices')
    expect(devices.map((d) => d.name).sort()).toEqual(people.map((p) => p.name).sort())
    expect(devices.every((d) => d.revokedAt === null && d.signedIn !== null)).toBe(true)
  })

  it('refuses a host showing another certificate (a pin mismatch), over HTTPS and WSS, and sends it nothing', async () => {
    const https = await terminals[0]!.send<Answer>('probe', { url: lan.impostorUrl })
    expect(https).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'host_certificate_changed', params: { expected: lan.shortCode } } })
    const wss = await terminals[0]!.send<Answer>('probeSocket', { url: lan.impostorUrl })
    expect(wss).toMatchObject({ ok: false, error: { reason: 'host_certificate_changed' } })
    // the handshake failed before any request: no password, token or cookie reached the impostor
    expect(await host.send<number>('impostorHits')).toBe(0)
    // the real host still answers the same terminal
    expect(await call(0, 'system.ping', {})).toMatchObject({ ok: true })
  })

  it('fans one board change out to every signed-in terminal', async () => {
    expect(await call(0, 'board.setPalette', { palette: null })).toMatchObject({ ok: true })
    for (let i = 0; i < 3; i++) await expect.poll(async () => (await state(i)).heard, { timeout: 10_000 }).toEqual([[]])
  })

  it('catches a terminal that lost its line up on the board changes it missed, once it is back', async () => {
    await terminals[1]!.send('goAway')
    await expect.poll(async () => (await state(1)).connection?.kind, { timeout: 10_000 }).toBe('reconnecting')
    expect(await call(0, 'board.setPalette', { palette: null })).toMatchObject({ ok: true })
    expect(await call(0, 'board.setPalette', { palette: null })).toMatchObject({ ok: true })
    await expect.poll(async () => (await state(2)).heard.length, { timeout: 10_000 }).toBe(3)
    expect((await state(1)).heard).toHaveLength(1)
    await terminals[1]!.send('comeBack')
    await expect.poll(async () => (await state(1)).heard.length, { timeout: 10_000 }).toBe(3)
    const back = await state(1)
    expect(back.connection).toEqual({ kind: 'online' })
    // the missed ones were replayed: no refetch needed
    expect(back.reconnects).toEqual([{ refetch: false }])
    expect(await call(1, 'system.ping', {})).toMatchObject({ ok: true })
  })

  it('applies a write cut off between send and reply once: the transport retries it with its key', async () => {
    const input = { name: '多进程重试', startsAt: '2026-12-10T02:00:00.000Z', endsAt: '2026-12-10T04:00:00.000Z' }
    // the writer is held, so the write waits in the host while a read on the same socket is answered
    await host.send('holdWriter')
    const cut = await terminals[0]!.send<{ ping: Answer; write: Answer }>('writeThenCut', { method: 'activities.create', input })
    expect(cut.ping).toMatchObject({ ok: true })
    expect(cut.write).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    await host.send('releaseWriter')
    // it was applied although its answer was lost
    await expect.poll(() => host.send<number>('activities', { name: input.name }), { timeout: 10_000 }).toBe(1)
    await terminals[0]!.send('comeBack')
    await expect.poll(async () => (await state(0)).connection?.kind, { timeout: 10_000 }).toBe('online')
    // the clerk presses save again: the same call, the same key, the first reply; nothing twice
    const again = await call(0, 'activities.create', input)
    expect(again).toMatchObject({ ok: true, value: { id: expect.any(Number) } })
    expect(await host.send<number>('activities', { name: input.name })).toBe(1)
  })

  it('closes a revoked terminal at once and refuses it; the other terminals go on', async () => {
    await host.send('revoke', { id: deviceIds[2] })
    await expect.poll(async () => (await state(2)).closes, { timeout: 10_000 }).toContain(DEVICE_REVOKED_CLOSE)
    // its next socket and its next request are refused: it no longer reaches the API
    expect(await call(2, 'system.ping', {})).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    expect(await terminals[2]!.send<Answer>('probe', { url: lan.url })).toMatchObject({ ok: true, value: 403 })
    expect(await terminals[2]!.send<Answer>('probeSocket', { url: lan.url })).toMatchObject({ ok: false, error: { status: 403 } })
    // the others: still online, still hearing the board
    expect(await call(0, 'board.setPalette', { palette: null })).toMatchObject({ ok: true })
    for (const i of [0, 1]) await expect.poll(async () => (await state(i)).heard.length, { timeout: 10_000 }).toBe(4)
    expect(await call(1, 'system.ping', {})).toMatchObject({ ok: true })
    expect((await state(2)).heard).toHaveLength(3)
  })
})
