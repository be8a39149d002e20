import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DbOpenError } from '../../electron/host/db/db-error'
import { KEY_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
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
})
