import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadOrCreateDbKey, WRAPPED_KEY_FILE, type KeyWrapper } from '../../electron/main/db-key'
import { NoticeSchema } from '../../electron/main/notice'
import { isAllowedNavigation, parseHostReady, secureWebPreferences } from '../../electron/main/window-policy'
import { INVOKE_CHANNELS, isInvokeChannel } from '../../electron/preload/channels'
import { tempDir } from '../helpers/temp-host'

// stands in for safeStorage: reversible, and visibly not the plain key
const fakeWrapper = (available = true): KeyWrapper => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
})

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('desktop database key (safeStorage)', () => {
  it('makes a key once, stores it only wrapped, and returns the same key later', () => {
    const d = tempDir()
    dirs.push(d)
    const key = loadOrCreateDbKey(d, fakeWrapper(), false)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(fs.readFileSync(path.join(d, WRAPPED_KEY_FILE)).includes(Buffer.from(key))).toBe(false)
    expect(loadOrCreateDbKey(d, fakeWrapper(), true)).toBe(key)
  })

  it('refuses when the OS key store is missing or the wrapped key is lost', () => {
    const d = tempDir()
    dirs.push(d)
    expect(() => loadOrCreateDbKey(d, fakeWrapper(false), false)).toThrow(/key store/)
    expect(() => loadOrCreateDbKey(d, fakeWrapper(), true)).toThrow(/missing/)
  })
})

describe('window policy', () => {
  it('isolates and sandboxes the renderer', () => {
    expect(secureWebPreferences('/p.js')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })
  })

  it('allows navigation only within the host origin', () => {
    expect(isAllowedNavigation('http://127.0.0.1:8640/#/staff', 'http://127.0.0.1:8640')).toBe(true)
    expect(isAllowedNavigation('http://127.0.0.1:9999/', 'http://127.0.0.1:8640')).toBe(false)
    expect(isAllowedNavigation('https://example.com/', 'http://127.0.0.1:8640')).toBe(false)
    expect(isAllowedNavigation('javascript:alert(1)', 'http://127.0.0.1:8640')).toBe(false)
  })

  it('accepts only a well-formed ready message from the host process', () => {
    expect(parseHostReady({ type: 'ready', url: 'http://127.0.0.1:1234' })).toBe('http://127.0.0.1:1234')
    expect(parseHostReady({ type: 'ready', url: 'file:///etc/passwd' })).toBeNull()
    expect(parseHostReady('ready')).toBeNull()
  })
})

describe('preload surface', () => {
  it('allows only the named channels', () => {
    expect(INVOKE_CHANNELS).toEqual(['os:notify', 'app:version'])
    expect(isInvokeChannel('os:notify')).toBe(true)
    expect(isInvokeChannel('fs:read')).toBe(false)
  })

  it('does not expose ipcRenderer itself', () => {
    const src = fs.readFileSync(path.resolve(__dirname, '../../electron/preload/index.ts'), 'utf8')
    expect(src).not.toMatch(/exposeInMainWorld\([^,]+,\s*ipcRenderer/)
    expect(src).not.toMatch(/ipcRenderer\.(send|invoke)\(\s*[a-z]/i)
  })

  it('checks notifications in main', () => {
    expect(NoticeSchema.safeParse({ title: '', body: 'x' }).success).toBe(false)
    expect(NoticeSchema.safeParse({ title: '到访', body: '张伟 到店' }).success).toBe(true)
  })
})

describe('card reader bridge', () => {
  it('turns driver status into the status light', async () => {
    const { readerLight } = await import('../../electron/main/card-reader-bridge')
    expect(readerLight({ state: 'none' })).toEqual({ state: 'none', detail: null, uidFormat: null })
    expect(readerLight({ state: 'error', message: 'unplugged' })).toEqual({ state: 'error', detail: 'unplugged', uidFormat: null })
  })

  it('forwards a swipe and the status light from a (fake) reader to the window', async () => {
    const { startCardReaderBridge } = await import('../../electron/main/card-reader-bridge')
    const { FakeBackend, ManualScheduler } = await import('../../electron/card-reader')
    const { loadRecording, deviceOf } = await import('./card-reader/harness')
    const scheduler = new ManualScheduler()
    const backend = new FakeBackend(scheduler)
    const rec = loadRecording('kbd-one-swipe.json')
    backend.plug(deviceOf(rec), { events: rec.events })
    const sent: Array<[string, unknown]> = []
    const stop = await startCardReaderBridge({
      backend,
      profileFiles: [path.resolve(__dirname, '../../resources/reader-profiles/profiles.json')],
      platform: 'linux',
      send: (c, p) => sent.push([c, p]),
      scheduler,
    })
    await scheduler.advance(3000)
    await stop()
    expect(sent).toContainEqual(['card:status', expect.objectContaining({ state: 'connected' })])
    expect(sent).toContainEqual(['card:swipe', '12345678'])
  })
})
