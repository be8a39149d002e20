import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { formatRecoveryKey, makeRecoveryKey, parseRecoveryKey, RecoveryKeyError, unwrapDbKey, wrapDbKey } from '../../electron/host/db/recovery-key'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The key with one character of group `group` (1-based) at `pos` changed to another valid one. */
function typo(key: string, group: number, pos: number, shift = 1): string {
  const groups = key.split('-')
  const g = groups[group - 1]!
  const c = ALPHABET[(ALPHABET.indexOf(g[pos]!) + shift) % 32]!
  groups[group - 1] = g.slice(0, pos) + c + g.slice(pos + 1)
  return groups.join('-')
}

describe('recovery key', () => {
  it('is 8 groups of 6 Base32 characters (200 random bits) that read back to the same bytes, forgiving case, spaces and O/I/L', () => {
    const bytes = randomBytes(25)
    const key = formatRecoveryKey(bytes)
    expect(key).toMatch(/^([0-9A-HJKMNP-TV-Z]{6}-){7}[0-9A-HJKMNP-TV-Z]{6}$/)
    expect(parseRecoveryKey(key)).toEqual({ bytes })
    const sloppy = key.toLowerCase().replace(/-/g, '  ').replace(/0/g, 'o').replace(/1/g, 'l')
    expect(parseRecoveryKey(sloppy)).toEqual({ bytes })
    expect(makeRecoveryKey()).not.toBe(makeRecoveryKey())
  })

  it('names the group of any single mistyped character, and a key of the wrong length', () => {
    const key = makeRecoveryKey()
    for (let group = 1; group <= 8; group++) {
      for (let pos = 0; pos < 6; pos++) {
        for (const shift of [1, 7, 16, 31]) expect(parseRecoveryKey(typo(key, group, pos, shift))).toEqual({ problem: 'group', group })
      }
    }
    // two groups swapped: caught, as the group number is in the check digit
    const groups = key.split('-')
    ;[groups[0], groups[1]] = [groups[1]!, groups[0]!]
    expect(parseRecoveryKey(groups.join('-'))).toMatchObject({ problem: 'group' })
    expect(parseRecoveryKey(key.slice(0, -1))).toEqual({ problem: 'length' })
    expect(parseRecoveryKey(`${key}X`)).toEqual({ problem: 'length' })
    expect(parseRecoveryKey(key.replace(/^./, 'U'))).toEqual({ problem: 'length' })
  })

  it('unwraps the database key with the right recovery key only; a typo is named by its group', async () => {
    const keyHex = randomBytes(32).toString('hex')
    const key = makeRecoveryKey()
    const record = await wrapDbKey(keyHex, key, new Date('2026-12-06T00:00:00Z'))
    expect(JSON.stringify(record)).not.toContain(keyHex)
    expect(await unwrapDbKey(record, key)).toBe(keyHex)
    await expect(unwrapDbKey(record, makeRecoveryKey())).rejects.toMatchObject({ reason: 'recovery_key_wrong' })
    const err = await unwrapDbKey(record, typo(key, 5, 2)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecoveryKeyError)
    expect(err).toMatchObject({ reason: 'recovery_key_group', group: 5 })
    // a tampered record is refused, never decrypted into a wrong key
    const last = parseInt(record.wrappedKey.slice(-1), 16)
    const tampered = { ...record, wrappedKey: record.wrappedKey.slice(0, -1) + ((last + 1) % 16).toString(16) }
    await expect(unwrapDbKey(tampered, key)).rejects.toMatchObject({ reason: 'recovery_key_wrong' })
  })
})
