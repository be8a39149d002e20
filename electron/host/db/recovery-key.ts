import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto'
import fs from 'node:fs'
import { z } from 'zod'

/**
 * The recovery key: 200 random bits a person writes down on first start. What is stored is only
 * the database key wrapped by it (scrypt, then AES-256-GCM), in `<database file>.recovery.json`
 * beside the database and beside each backup; the recovery key itself is never stored.
 */

/** Crockford's Base32: no I, L, O or U, so a handwritten key reads back the same. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const KEY_BYTES = 25
const GROUPS = 8
const DATA_PER_GROUP = 5
/** the suffix of the wrapped-key record beside a database file or a backup */
export const RECOVERY_SUFFIX = '.recovery.json'

/** The wrapped-key record's path for a database or backup file. */
export function recoveryRecordPath(dbFile: string): string {
  return `${dbFile}${RECOVERY_SUFFIX}`
}

/** Why a typed recovery key was not taken: wrong length/characters, or a group whose check digit does not match. */
export type RecoveryKeyProblem = { problem: 'length' } | { problem: 'group'; group: number }

export class RecoveryKeyError extends Error {
  override name = 'RecoveryKeyError'
  constructor(
    readonly reason:
      | 'recovery_key_length'
      | 'recovery_key_group'
      | 'recovery_key_wrong'
      | 'recovery_record_missing'
      | 'recovery_record_bad'
      | 'recovery_target_taken',
    message: string,
    readonly group?: number,
  ) {
    super(message)
  }
}

// odd weights are invertible mod 32, so any single mistyped character changes the check digit;
// the group's number is mixed in, so a group written in the wrong place is caught too
function checkDigit(values: readonly number[], group: number): number {
  let sum = (group + 1) * 11
  values.forEach((v, i) => (sum += v * (2 * i + 1)))
  return sum % 32
}

function toBase32(bytes: Buffer): number[] {
  const out: number[] = []
  let acc = 0
  let bits = 0
  for (const b of bytes) {
    acc = (acc << 8) | b
    bits += 8
    while (bits >= 5) {
      out.push((acc >> (bits - 5)) & 31)
      bits -= 5
    }
    acc &= (1 << bits) - 1
  }
  return out
}

function fromBase32(values: readonly number[]): Buffer {
  const out: number[] = []
  let acc = 0
  let bits = 0
  for (const v of values) {
    acc = (acc << 5) | v
    bits += 5
    if (bits >= 8) {
      out.push((acc >> (bits - 8)) & 255)
      bits -= 8
    }
    acc &= (1 << bits) - 1
  }
  return Buffer.from(out)
}

/** A new recovery key as a person writes it: 8 groups of 6 (5 characters and a check digit), dashes between. */
export function makeRecoveryKey(): string {
  return formatRecoveryKey(randomBytes(KEY_BYTES))
}

/** The written form of a recovery key's bytes. */
export function formatRecoveryKey(bytes: Buffer): string {
  const values = toBase32(bytes)
  const groups: string[] = []
  for (let g = 0; g < GROUPS; g++) {
    const part = values.slice(g * DATA_PER_GROUP, (g + 1) * DATA_PER_GROUP)
    groups.push([...part, checkDigit(part, g)].map((v) => ALPHABET[v]).join(''))
  }
  return groups.join('-')
}

/**
 * Reads a typed recovery key: case, spaces and dashes do not matter, O reads as 0 and I/L as 1.
 * Returns its bytes, or which group (1-based) has a wrong check digit.
 */
export function parseRecoveryKey(typed: string): { bytes: Buffer } | RecoveryKeyProblem {
  const chars = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  const per = DATA_PER_GROUP + 1
  if (chars.length !== GROUPS * per || [...chars].some((c) => !ALPHABET.includes(c))) return { problem: 'length' }
  const values: number[] = []
  for (let g = 0; g < GROUPS; g++) {
    const group = [...chars.slice(g * per, (g + 1) * per)].map((c) => ALPHABET.indexOf(c))
    const data = group.slice(0, DATA_PER_GROUP)
    if (checkDigit(data, g) !== group[DATA_PER_GROUP]) return { problem: 'group', group: g + 1 }
    values.push(...data)
  }
  return { bytes: fromBase32(values) }
}

/** The stored record: the database key wrapped by the recovery key, with the KDF's salt and parameters. */
const RecoveryRecord = z.object({
  version: z.literal(1),
  kdf: z.literal('scrypt'),
  N: z.number().int().min(1024).max(1 << 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().regex(/^[0-9a-f]{32}$/),
  iv: z.string().regex(/^[0-9a-f]{24}$/),
  tag: z.string().regex(/^[0-9a-f]{32}$/),
  wrappedKey: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().max(40),
})
export type RecoveryRecord = z.infer<typeof RecoveryRecord>

/** what the wrapping is bound to: a record of another format cannot be taken for this one */
const AAD = Buffer.from('keyuan recovery v1')

// the key has 200 random bits, so scrypt adds margin more than it is needed; test runs may
// lower N as for passwords (KEYUAN_SCRYPT_COST); each record keeps its own parameters
function cost(): number {
  const n = Number(process.env.KEYUAN_SCRYPT_COST)
  return Number.isInteger(n) && n >= 1024 && (n & (n - 1)) === 0 ? n : 32768
}

function kek(keyBytes: Buffer, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(keyBytes, salt, 32, { ...opts, maxmem: 128 * 1024 * 1024 }, (err, k) => (err ? reject(err) : resolve(k))))
}

/** Wraps the database key (64 hex) with a recovery key in its written form. */
export async function wrapDbKey(keyHex: string, recoveryKey: string, at: Date): Promise<RecoveryRecord> {
  const parsed = parseRecoveryKey(recoveryKey)
  if (!('bytes' in parsed)) throw new RecoveryKeyError('recovery_key_length', 'not a recovery key')
  const params = { N: cost(), r: 8, p: 1 }
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', await kek(parsed.bytes, salt, params), iv)
  cipher.setAAD(AAD)
  const wrapped = Buffer.concat([cipher.update(Buffer.from(keyHex, 'hex')), cipher.final()])
  return {
    version: 1,
    kdf: 'scrypt',
    ...params,
    salt: salt.toString('hex'),
    iv: iv.toString('hex'),
    tag: cipher.getAuthTag().toString('hex'),
    wrappedKey: wrapped.toString('hex'),
    createdAt: at.toISOString(),
  }
}

/** The database key (64 hex) a record wraps, given the recovery key as typed; a RecoveryKeyError names what is wrong. */
export async function unwrapDbKey(record: RecoveryRecord, typed: string): Promise<string> {
  const parsed = parseRecoveryKey(typed)
  if ('problem' in parsed) {
    if (parsed.problem === 'length') throw new RecoveryKeyError('recovery_key_length', 'a recovery key has 8 groups of 6 characters')
    throw new RecoveryKeyError('recovery_key_group', `group ${parsed.group} of the recovery key is mistyped (its check digit does not match)`, parsed.group)
  }
  const key = await kek(parsed.bytes, Buffer.from(record.salt, 'hex'), { N: record.N, r: record.r, p: record.p })
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(record.iv, 'hex'))
  decipher.setAAD(AAD)
  decipher.setAuthTag(Buffer.from(record.tag, 'hex'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(record.wrappedKey, 'hex')), decipher.final()]).toString('hex')
  } catch {
    throw new RecoveryKeyError('recovery_key_wrong', 'this recovery key does not belong to this database')
  }
}

/** Writes a record beside a database or backup file (never over one: it may be the only way into that file). */
export function writeRecoveryRecord(dbFile: string, record: RecoveryRecord): void {
  fs.writeFileSync(recoveryRecordPath(dbFile), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
}

/** The record beside a database or backup file; a RecoveryKeyError when it is missing or not one. */
export function readRecoveryRecord(dbFile: string): RecoveryRecord {
  let text: string
  try {
    text = fs.readFileSync(recoveryRecordPath(dbFile), 'utf8')
  } catch {
    throw new RecoveryKeyError('recovery_record_missing', `no recovery record beside the file (expected ${recordName(dbFile)})`)
  }
  try {
    const r = RecoveryRecord.safeParse(JSON.parse(text))
    if (r.success) return r.data
  } catch {
    // not JSON: said below
  }
  throw new RecoveryKeyError('recovery_record_bad', `${recordName(dbFile)} is not a recovery record`)
}

function recordName(dbFile: string): string {
  return recoveryRecordPath(dbFile).split(/[\\/]/).pop() ?? RECOVERY_SUFFIX
}
