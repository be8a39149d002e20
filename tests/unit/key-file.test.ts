import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DbOpenError } from '../../electron/host/db/db-error'
import { KEY_FILE_NAME, keyFilePath, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { openDatabase } from '../../electron/host/db/open'
import { tempDir } from '../helpers/temp-host'

const dirs: string[] = []
const dir = () => {
  const d = tempDir('keyuan-key-')
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('headless database key', () => {
  it('creates a 0600 key file for a new database and reuses it', () => {
    const d = dir()
    const first = resolveHeadlessKey(d, {})
    expect(first.source).toBe('new-key-file')
    expect(first.keyHex).toMatch(/^[0-9a-f]{64}$/)
    expect(fs.statSync(path.join(d, KEY_FILE_NAME)).mode & 0o777).toBe(0o600)
    const second = resolveHeadlessKey(d, {})
    expect(second).toEqual({ keyHex: first.keyHex, source: 'key-file' })
  })

  it('prefers KEYUAN_DB_KEY and checks its format', () => {
    const d = dir()
    expect(resolveHeadlessKey(d, { KEYUAN_DB_KEY: 'AB'.repeat(32) })).toEqual({ keyHex: 'ab'.repeat(32), source: 'env' })
    expect(() => resolveHeadlessKey(d, { KEYUAN_DB_KEY: 'short' })).toThrow(DbOpenError)
    expect(fs.existsSync(path.join(d, KEY_FILE_NAME))).toBe(false)
  })

  it('never makes a new key for an existing database', async () => {
    const d = dir()
    const { keyHex } = resolveHeadlessKey(d, {})
    const db = openDatabase(path.join(d, 'keyuan.db'), keyHex)
    await db.close()
    fs.rmSync(path.join(d, KEY_FILE_NAME))
    expect(() => resolveHeadlessKey(d, {})).toThrow(/missing/)
    expect(fs.existsSync(path.join(d, KEY_FILE_NAME))).toBe(false)
  })

  it('finds the key file at --key-file, else KEYUAN_KEY_FILE, else in the data folder', () => {
    expect(keyFilePath('/srv/data', '/keys/a.key', { KEYUAN_KEY_FILE: '/keys/b.key' })).toBe('/keys/a.key')
    expect(keyFilePath('/srv/data', undefined, { KEYUAN_KEY_FILE: '/keys/b.key' })).toBe('/keys/b.key')
    expect(keyFilePath('/srv/data', undefined, { KEYUAN_KEY_FILE: '  ' })).toBe(path.join('/srv/data', KEY_FILE_NAME))
    expect(keyFilePath('/srv/data', undefined, {})).toBe(path.join('/srv/data', KEY_FILE_NAME))
  })

  it('keeps the key in another folder: made there (0600, folder 0700) for a new database, read from there after', async () => {
    const data = dir()
    const keys = path.join(dir(), 'service-only')
    const keyFile = path.join(keys, 'keyuan.key')
    const made = resolveHeadlessKey(data, {}, keyFile)
    expect(made.source).toBe('new-key-file')
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(fs.statSync(keys).mode & 0o777).toBe(0o700)
    expect(fs.existsSync(path.join(data, KEY_FILE_NAME))).toBe(false)
    const db = openDatabase(path.join(data, 'keyuan.db'), made.keyHex)
    await db.close()
    expect(resolveHeadlessKey(data, {}, keyFile)).toEqual({ keyHex: made.keyHex, source: 'key-file' })
    expect(resolveHeadlessKey(data, { KEYUAN_KEY_FILE: keyFile })).toEqual({ keyHex: made.keyHex, source: 'key-file' })
    // the data folder alone (a copied folder) has no key: refused, and no new key is made
    expect(() => resolveHeadlessKey(data, {})).toThrow(/missing.*--key-file/)
    expect(fs.existsSync(path.join(data, KEY_FILE_NAME))).toBe(false)
    // KEYUAN_DB_KEY still comes first
    expect(resolveHeadlessKey(data, { KEYUAN_DB_KEY: 'cd'.repeat(32) }, keyFile).source).toBe('env')
  })

  it('says when the key file cannot be read, naming it, instead of failing somewhere else', () => {
    const notAFile = dir()
    try {
      resolveHeadlessKey(dir(), {}, notAFile)
      throw new Error('expected a refusal')
    } catch (err) {
      expect(err).toBeInstanceOf(DbOpenError)
      expect((err as DbOpenError).reason).toBe('KEY_FILE_ACCESS')
      expect((err as DbOpenError).message).toContain(notAFile)
    }
  })

  it('checks the format of a key file kept elsewhere', () => {
    const keyFile = path.join(dir(), 'bad.key')
    fs.writeFileSync(keyFile, 'not a key\n', { mode: 0o600 })
    expect(() => resolveHeadlessKey(dir(), {}, keyFile)).toThrow(DbOpenError)
  })
})
