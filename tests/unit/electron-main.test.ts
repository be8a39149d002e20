import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { KEY_FILE_NAME, keyStoreState, loadOrCreateDbKey, readKeyChoice, readKeyFile, WRAPPED_KEY_FILE, type KeyWrapper } from '../../electron/main/db-key'
import { resolveDesktopKey, type KeyDialogs } from '../../electron/main/desktop-key'
import { hostGaveUpDialog, keyProblemDialog } from '../../electron/main/desktop-texts'
import { FirstRunSecret } from '../../electron/main/first-run'
import { HOST_LOG_FILE, openHostLog } from '../../electron/main/host-log'
import { planDbKey, type KeyFilePick, type KeyProblem, type KeyStoreState } from '../../electron/main/key-plan'
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
    expect(parseHostReady({ type: 'ready', url: 'http://127.0.0.1:1234' })).toEqual({ url: 'http://127.0.0.1:1234', firstAdmin: null })
    expect(parseHostReady({ type: 'ready', url: 'file:///etc/passwd' })).toBeNull()
    expect(parseHostReady({ type: 'ready', url: 'http://[bad' })).toBeNull()
    expect(parseHostReady('ready')).toBeNull()
  })

  it('carries the first admin sign-in of a new database in the ready message, checked', () => {
    const url = 'http://127.0.0.1:1234'
    expect(parseHostReady({ type: 'ready', url, firstAdmin: { username: 'admin', password: 'Xq7-first' } })).toEqual({
      url,
      firstAdmin: { username: 'admin', password: 'Xq7-first' },
    })
    expect(parseHostReady({ type: 'ready', url, firstAdmin: null })).toEqual({ url, firstAdmin: null })
    // the new database's recovery key rides with the sign-in, for the printable sheet (#18)
    const recoveryKey = 'ABCDEF-ABCDEF-ABCDEF-ABCDEF-ABCDEF-ABCDEF-ABCDEF-ABCDEF'
    expect(parseHostReady({ type: 'ready', url, firstAdmin: { username: 'admin', password: 'Xq7-first' }, recoveryKey })).toEqual({
      url,
      firstAdmin: { username: 'admin', password: 'Xq7-first', recoveryKey },
    })
    expect(parseHostReady({ type: 'ready', url, firstAdmin: null, recoveryKey: 'x'.repeat(101) })).toBeNull()
    expect(parseHostReady({ type: 'ready', url, firstAdmin: { username: 'admin' } })).toBeNull()
    expect(parseHostReady({ type: 'ready', url, firstAdmin: { username: 'admin', password: 'x'.repeat(201) } })).toBeNull()
  })
})

describe('preload surface', () => {
  it('allows only the named channels', () => {
    expect(INVOKE_CHANNELS).toEqual(['os:notify', 'app:version', 'app:first-run'])
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

  it('takes only an in-app hash path as the link a clicked notification opens', () => {
    expect(NoticeSchema.safeParse({ title: '到访', body: 'x', link: '/clients/12' }).success).toBe(true)
    for (const link of ['https://evil.example/', 'javascript:alert(1)', '//evil.example', '/clients/12?x=<b>', 'clients/12']) {
      expect(NoticeSchema.safeParse({ title: '到访', body: 'x', link }).success).toBe(false)
    }
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
    const bridge = await startCardReaderBridge({
      backend,
      profileFiles: [path.resolve(__dirname, '../../resources/reader-profiles/profiles.json')],
      platform: 'linux',
      send: (c, p) => sent.push([c, p]),
      scheduler,
    })
    await scheduler.advance(3000)
    await bridge.stop()
    expect(sent).toContainEqual(['card:status', expect.objectContaining({ state: 'connected' })])
    expect(sent).toContainEqual(['card:swipe', '12345678'])
  })
})

describe('desktop database key: where it lives when the OS key store cannot keep it', () => {
  const storeOf = (store: KeyStoreState): KeyWrapper =>
    store === 'unavailable'
      ? fakeWrapper(false)
      : { ...fakeWrapper(true), getSelectedStorageBackend: () => (store === 'basic_text' ? 'basic_text' : 'gnome_libsecret') }

  it('reads the store as available, basic_text (Linux only) or unavailable', () => {
    expect(keyStoreState(storeOf('available'), 'linux')).toBe('available')
    expect(keyStoreState(storeOf('basic_text'), 'linux')).toBe('basic_text')
    expect(keyStoreState(storeOf('basic_text'), 'win32')).toBe('available')
    expect(keyStoreState(storeOf('unavailable'), 'linux')).toBe('unavailable')
    expect(keyStoreState(fakeWrapper(true), 'darwin')).toBe('available')
  })

  it('decides per store x database x wrapped key x key file chosen earlier', () => {
    const plan = (store: KeyStoreState, databaseExists: boolean, wrappedKeyExists = false, keyFile: string | null = null, keyFileExists = false) =>
      planDbKey({ store, databaseExists, wrappedKeyExists, keyFile, keyFileExists })
    // the OS key store works
    expect(plan('available', false)).toEqual({ kind: 'safe-storage' })
    expect(plan('available', true, true)).toEqual({ kind: 'safe-storage' })
    expect(plan('available', true, false)).toEqual({ kind: 'ask', problem: 'wrapped_missing', pick: 'existing' })
    // basic_text: never a new key in it; a key already in it is offered a move
    expect(plan('basic_text', false)).toEqual({ kind: 'ask', problem: 'basic_text', pick: 'new' })
    expect(plan('basic_text', true, true)).toEqual({ kind: 'ask', problem: 'basic_text', pick: 'move' })
    expect(plan('basic_text', true, false)).toEqual({ kind: 'ask', problem: 'basic_text', pick: 'existing' })
    // no store at all
    expect(plan('unavailable', false)).toEqual({ kind: 'ask', problem: 'unavailable', pick: 'new' })
    expect(plan('unavailable', true, true)).toEqual({ kind: 'ask', problem: 'unavailable', pick: 'existing' })
    expect(plan('unavailable', true, false)).toEqual({ kind: 'ask', problem: 'unavailable', pick: 'existing' })
    // a key file chosen earlier wins whatever the store says, and is made only for a new database
    for (const store of ['available', 'basic_text', 'unavailable'] as const) {
      expect(plan(store, true, true, '/usb/keyuan.key', true)).toEqual({ kind: 'key-file', file: '/usb/keyuan.key', create: false })
      expect(plan(store, false, false, '/usb/keyuan.key', false)).toEqual({ kind: 'key-file', file: '/usb/keyuan.key', create: true })
      expect(plan(store, true, false, '/usb/keyuan.key', false)).toEqual({ kind: 'ask', problem: 'key_file_missing', pick: 'existing' })
    }
  })

  /** Dialogs that answer from a script and record what they were asked. */
  function scripted(answers: { ask: Array<boolean | 'recovery'>; folders: Array<string | null>; recoveryKeys?: Array<string | null> }) {
    const seen: string[] = []
    const dialogs: KeyDialogs = {
      ask: async (problem, pick, recoveryOffered) => {
        seen.push(`ask ${problem}/${pick}${recoveryOffered ? '+recovery' : ''}`)
        return answers.ask.shift() ?? false
      },
      askRecoveryKey: async (failure) => {
        seen.push(`recovery key${failure ? ` (${failure.reason}${failure.group ? ` ${failure.group}` : ''})` : ''}`)
        return answers.recoveryKeys?.shift() ?? null
      },
      pickFolder: async (pick) => {
        seen.push(`pick ${pick}`)
        return answers.folders.shift() ?? null
      },
      tellFailed: async (why) => void seen.push(`failed ${why}`),
    }
    return { dialogs, seen }
  }

  function folders() {
    const root = tempDir()
    dirs.push(root)
    const userDataDir = path.join(root, 'userData')
    const dataDir = path.join(userDataDir, 'data')
    const usb = path.join(root, 'usb')
    fs.mkdirSync(dataDir, { recursive: true })
    fs.mkdirSync(usb)
    return { userDataDir, dataDir, usb }
  }

  it('uses the OS key store without asking when it protects the key', async () => {
    const f = folders()
    const { dialogs, seen } = scripted({ ask: [], folders: [] })
    const key = await resolveDesktopKey({ ...f, databaseExists: false, wrapper: storeOf('available'), platform: 'linux', dialogs })
    expect(key).toMatchObject({ source: 'safe-storage', keyHex: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(seen).toEqual([])
  })

  it('basic_text and a new database: quitting writes no key anywhere', async () => {
    const f = folders()
    const { dialogs, seen } = scripted({ ask: [false], folders: [] })
    expect(await resolveDesktopKey({ ...f, databaseExists: false, wrapper: storeOf('basic_text'), platform: 'linux', dialogs })).toBe('quit')
    expect(seen).toEqual(['ask basic_text/new'])
    expect(fs.existsSync(path.join(f.userDataDir, WRAPPED_KEY_FILE))).toBe(false)
    expect(fs.readdirSync(f.usb)).toEqual([])
  })

  it('basic_text and a new database: a key file in a folder the user picks (not the database folder), remembered for the next start', async () => {
    const f = folders()
    const { dialogs, seen } = scripted({ ask: [true, true], folders: [f.dataDir, f.usb] })
    const key = await resolveDesktopKey({ ...f, databaseExists: false, wrapper: storeOf('basic_text'), platform: 'linux', dialogs })
    expect(seen).toEqual(['ask basic_text/new', 'pick new', 'failed beside_database', 'ask basic_text/new', 'pick new'])
    const file = path.join(f.usb, KEY_FILE_NAME)
    expect(key).toEqual({ keyHex: expect.stringMatching(/^[0-9a-f]{64}$/), source: 'key-file', file })
    expect(fs.readFileSync(file, 'utf8').trim()).toBe((key as { keyHex: string }).keyHex)
    expect(fs.statSync(file).mode & 0o077).toBe(0)
    expect(fs.existsSync(path.join(f.userDataDir, WRAPPED_KEY_FILE))).toBe(false)

    const again = scripted({ ask: [], folders: [] })
    expect(await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('basic_text'), platform: 'linux', dialogs: again.dialogs })).toEqual(key)
    expect(again.seen).toEqual([])
  })

  it('basic_text with a key already wrapped in it: moves that same key to a key file and deletes the clear-text copy', async () => {
    const f = folders()
    const old = loadOrCreateDbKey(f.userDataDir, storeOf('basic_text'), false)
    const { dialogs, seen } = scripted({ ask: [true], folders: [f.usb] })
    const key = await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('basic_text'), platform: 'linux', dialogs })
    expect(seen).toEqual(['ask basic_text/move', 'pick move'])
    expect(key).toMatchObject({ keyHex: old, source: 'key-file' })
    expect(readKeyFile(path.join(f.usb, KEY_FILE_NAME))).toBe(old)
    expect(fs.existsSync(path.join(f.userDataDir, WRAPPED_KEY_FILE))).toBe(false)
  })

  it('never overwrites another key file when moving a key', async () => {
    const f = folders()
    loadOrCreateDbKey(f.userDataDir, storeOf('basic_text'), false)
    fs.writeFileSync(path.join(f.usb, KEY_FILE_NAME), `${'ab'.repeat(32)}\n`)
    const { dialogs, seen } = scripted({ ask: [true, false], folders: [f.usb] })
    expect(await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('basic_text'), platform: 'linux', dialogs })).toBe('quit')
    expect(seen).toEqual(['ask basic_text/move', 'pick move', 'failed key_differs', 'ask basic_text/move'])
    expect(fs.readFileSync(path.join(f.usb, KEY_FILE_NAME), 'utf8').trim()).toBe('ab'.repeat(32))
    expect(fs.existsSync(path.join(f.userDataDir, WRAPPED_KEY_FILE))).toBe(true)
  })

  it('unavailable and an existing database: only a folder that holds a valid key file will do; cancelling asks again', async () => {
    const f = folders()
    const { dialogs, seen } = scripted({ ask: [true, true, true, false], folders: [f.usb, null, f.usb] })
    fs.writeFileSync(path.join(f.usb, 'unrelated.txt'), 'x')
    expect(await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('unavailable'), platform: 'linux', dialogs })).toBe('quit')
    expect(seen).toEqual([
      'ask unavailable/existing',
      'pick existing',
      'failed no_key_file',
      'ask unavailable/existing',
      'pick existing',
      'ask unavailable/existing',
      'pick existing',
      'failed no_key_file',
      'ask unavailable/existing',
    ])

    fs.writeFileSync(path.join(f.usb, KEY_FILE_NAME), 'not a key\n')
    const bad = scripted({ ask: [true, false], folders: [f.usb] })
    expect(await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('unavailable'), platform: 'linux', dialogs: bad.dialogs })).toBe('quit')
    expect(bad.seen).toContain('failed bad_key_file')

    fs.writeFileSync(path.join(f.usb, KEY_FILE_NAME), `${'CD'.repeat(32)}\n`)
    const good = scripted({ ask: [true], folders: [f.usb] })
    expect(await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('unavailable'), platform: 'linux', dialogs: good.dialogs })).toMatchObject({
      keyHex: 'cd'.repeat(32),
      source: 'key-file',
    })
  })

  it('an existing database whose wrapped key is gone is never given a new key', async () => {
    const f = folders()
    const { dialogs, seen } = scripted({ ask: [false], folders: [] })
    expect(await resolveDesktopKey({ ...f, databaseExists: true, wrapper: storeOf('available'), platform: 'linux', dialogs })).toBe('quit')
    expect(seen).toEqual(['ask wrapped_missing/existing'])
    expect(fs.existsSync(path.join(f.userDataDir, WRAPPED_KEY_FILE))).toBe(false)
  })

  it('a key file named in KEYUAN_DESKTOP_KEY_FILE is used without asking and not remembered', async () => {
    const f = folders()
    const file = path.join(f.usb, KEY_FILE_NAME)
    const { dialogs, seen } = scripted({ ask: [], folders: [] })
    const key = await resolveDesktopKey({ ...f, databaseExists: false, wrapper: storeOf('basic_text'), platform: 'linux', dialogs, keyFileFromEnv: file })
    expect(key).toMatchObject({ source: 'key-file', file })
    expect(seen).toEqual([])
    expect(readKeyChoice(f.userDataDir)).toBeNull()
  })

  it('tells what to do today instead of promising a recovery key that does not exist', () => {
    const d = tempDir()
    dirs.push(d)
    let message = ''
    try {
      loadOrCreateDbKey(d, fakeWrapper(), true)
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/restore it from a backup/)
    expect(message).not.toMatch(/recovery/i)
  })

  it('says every key dialog in Chinese and English, with quit first and a plain warning where a key file is made', () => {
    const picks = { basic_text: ['new', 'move', 'existing'], unavailable: ['new', 'existing'], wrapped_missing: ['existing'], wrapped_unreadable: ['existing'], key_file_missing: ['existing'] } as const
    for (const [problem, list] of Object.entries(picks) as Array<[KeyProblem, readonly KeyFilePick[]]>) {
      for (const pick of list) {
        const t = keyProblemDialog(problem, pick)
        const all = `${t.message}\n${t.detail}`
        expect(all).toMatch(/[\u4e00-\u9fff]/)
        expect(all).toMatch(/[A-Za-z]{4,} [a-z]+/)
        expect(t.buttons[0]).toBe('退出 Quit')
        expect(all).not.toMatch(/recovery|恢复密钥/i)
        if (pick !== 'existing') expect(t.detail).toContain('明文')
        if (pick !== 'existing') expect(t.detail).toContain('plain text')
      }
    }
    expect(hostGaveUpDialog(8, '/home/a/.config/keyuan/logs/host.log').detail).toContain('/home/a/.config/keyuan/logs/host.log')
  })
})

describe('first start on the desktop', () => {
  it('hands the first admin sign-in to the window once, then forgets it', () => {
    const s = new FirstRunSecret()
    expect(s.take()).toBeNull()
    s.keep({ username: 'admin', password: 'Xq7-first' })
    s.keep(null) // a restarted host has none; the one kept stays
    expect(s.take()).toEqual({ username: 'admin', password: 'Xq7-first' })
    expect(s.take()).toBeNull()
  })
})

describe('host log', () => {
  it('appends notes and output, and moves a log grown too big aside at start', async () => {
    const d = tempDir()
    dirs.push(d)
    fs.writeFileSync(path.join(d, HOST_LOG_FILE), 'x'.repeat(6 * 1024 * 1024))
    const log = openHostLog(d, () => new Date('2026-11-25T02:00:00Z'))
    log.note('host stopped (exit 1)')
    log.write(Buffer.from('keyuan host: failed to start\n'))
    await log.close()
    expect(fs.readFileSync(log.file, 'utf8')).toBe('[2026-11-25T02:00:00.000Z] keyuan desktop: host stopped (exit 1)\nkeyuan host: failed to start\n')
    expect(fs.statSync(`${log.file}.1`).size).toBe(6 * 1024 * 1024)
  })
})
