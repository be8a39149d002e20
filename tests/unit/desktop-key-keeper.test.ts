import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KeyReply } from '../../electron/host/db/key-keeper'
import { readWrappedKey, WRAPPED_KEY_FILE, type KeyWrapper } from '../../electron/main/db-key'
import { DesktopKeyKeeper, keyHomeOf } from '../../electron/main/desktop-key-keeper'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})
const dir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-keeper-'))
  dirs.push(d)
  return d
}

function store(available = true): KeyWrapper {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(`w:${s}`),
    decryptString: (b) => {
      if (!b.toString().startsWith('w:')) throw new Error('cannot decrypt')
      return b.toString().slice(2)
    },
  }
}

const OLD = 'a'.repeat(64)
const NEW = 'b'.repeat(64)
const ask = (keeper: DesktopKeyKeeper, id: number, op: 'stage' | 'commit' | 'drop', keyHex?: string) =>
  KeyReply.parse(keeper.handle({ type: 'db-key', id, op, ...(keyHex ? { keyHex } : {}) }))

function wrappedPc() {
  const userDataDir = dir()
  const wrapper = store()
  fs.writeFileSync(path.join(userDataDir, WRAPPED_KEY_FILE), wrapper.encryptString(OLD))
  return { userDataDir, wrapper, home: { kind: 'wrapped' as const, userDataDir, wrapper } }
}

describe('DesktopKeyKeeper (Electron main keeps the database key through a rekey)', () => {
  it('stage wraps the new key beside the current one; commit makes it the key; the host env names the pending key until then', () => {
    const pc = wrappedPc()
    const keeper = new DesktopKeyKeeper(pc.home, OLD)
    expect(keeper.hostEnv()).toEqual({ KEYUAN_DB_KEY: OLD, KEYUAN_KEY_KEEPER: 'parent' })
    expect(ask(keeper, 1, 'stage', NEW)).toEqual({ type: 'db-key-done', id: 1, ok: true })
    const pending = path.join(pc.userDataDir, `${WRAPPED_KEY_FILE}.next`)
    // wrapped, never in the clear
    expect(fs.readFileSync(pending).toString()).toBe(`w:${NEW}`)
    expect(keeper.hostEnv()).toEqual({ KEYUAN_DB_KEY: OLD, KEYUAN_KEY_KEEPER: 'parent', KEYUAN_DB_KEY_NEXT: NEW })
    // an app restarted now finds the pending key on disk
    expect(new DesktopKeyKeeper(pc.home, OLD).hostEnv()).toMatchObject({ KEYUAN_DB_KEY_NEXT: NEW })
    expect(ask(keeper, 2, 'commit')).toMatchObject({ ok: true })
    expect(readWrappedKey(pc.userDataDir, pc.wrapper)).toBe(NEW)
    expect(fs.existsSync(pending)).toBe(false)
    expect(keeper.hostEnv()).toEqual({ KEYUAN_DB_KEY: NEW, KEYUAN_KEY_KEEPER: 'parent' })
  })

  it('drop forgets the pending key and keeps the current one', () => {
    const pc = wrappedPc()
    const keeper = new DesktopKeyKeeper(pc.home, OLD)
    ask(keeper, 1, 'stage', NEW)
    expect(ask(keeper, 2, 'drop')).toMatchObject({ ok: true })
    expect(readWrappedKey(pc.userDataDir, pc.wrapper)).toBe(OLD)
    expect(keeper.hostEnv()).not.toHaveProperty('KEYUAN_DB_KEY_NEXT')
    expect(fs.existsSync(path.join(pc.userDataDir, `${WRAPPED_KEY_FILE}.next`))).toBe(false)
  })

  it('a key file home keeps the pending key as <key file>.next, in the key file format', () => {
    const folder = dir()
    const file = path.join(folder, 'keyuan.key')
    fs.writeFileSync(file, `${OLD}\n`)
    const keeper = new DesktopKeyKeeper({ kind: 'key-file', file }, OLD)
    ask(keeper, 1, 'stage', NEW)
    expect(fs.readFileSync(`${file}.next`, 'utf8')).toBe(`${NEW}\n`)
    ask(keeper, 2, 'commit')
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(NEW)
  })

  it('refuses what it cannot keep, saying why without a path: no home, a key store gone; a commit with nothing pending', () => {
    expect(ask(new DesktopKeyKeeper({ kind: 'none' }, OLD), 1, 'stage', NEW)).toMatchObject({ ok: false, why: expect.stringContaining('recovery key') })
    const userDataDir = dir()
    const gone = new DesktopKeyKeeper({ kind: 'wrapped', userDataDir, wrapper: store(false) }, OLD)
    const r = ask(gone, 2, 'stage', NEW)
    expect(r).toMatchObject({ ok: false, why: 'the OS key store is not available' })
    expect(fs.readdirSync(userDataDir)).toEqual([])
    expect(ask(new DesktopKeyKeeper(wrappedPc().home, OLD), 3, 'commit')).toMatchObject({ ok: false })
  })

  it('answers only key requests: other messages, a bad key, a pending file that does not unwrap are left alone', () => {
    const pc = wrappedPc()
    const keeper = new DesktopKeyKeeper(pc.home, OLD)
    expect(keeper.handle({ type: 'ready', url: 'http://127.0.0.1:1' })).toBeNull()
    expect(keeper.handle({ type: 'db-key', id: 1, op: 'stage', keyHex: 'zz' })).toBeNull()
    fs.writeFileSync(path.join(pc.userDataDir, `${WRAPPED_KEY_FILE}.next`), 'torn')
    expect(new DesktopKeyKeeper(pc.home, OLD).hostEnv()).not.toHaveProperty('KEYUAN_DB_KEY_NEXT')
  })

  it('keyHomeOf: the key store, a key file, or nowhere (a recovery key not stored again)', () => {
    const wrapper = store()
    expect(keyHomeOf({ keyHex: OLD, source: 'safe-storage' }, '/u', wrapper)).toMatchObject({ kind: 'wrapped', userDataDir: '/u' })
    expect(keyHomeOf({ keyHex: OLD, source: 'recovery-key', stored: true }, '/u', wrapper)).toMatchObject({ kind: 'wrapped' })
    expect(keyHomeOf({ keyHex: OLD, source: 'recovery-key', stored: false }, '/u', wrapper)).toEqual({ kind: 'none' })
    expect(keyHomeOf({ keyHex: OLD, source: 'key-file', file: '/k/keyuan.key' }, '/u', wrapper)).toEqual({ kind: 'key-file', file: '/k/keyuan.key' })
  })
})
