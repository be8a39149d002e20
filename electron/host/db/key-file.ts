import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { DbOpenError } from './db-error'

export const KEY_FILE_NAME = 'keyuan.key'
export const DB_FILE_NAME = 'keyuan.db'

export interface ResolvedKey {
  keyHex: string
  source: 'env' | 'key-file' | 'new-key-file' | 'given'
}

/**
 * Where the headless key file is: `--key-file`, else `KEYUAN_KEY_FILE`, else `keyuan.key` in
 * the data folder. A key beside its database protects nothing against a copied folder, so the
 * README recommends a folder only the service account reads.
 */
export function keyFilePath(dataDir: string, keyFile: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = keyFile ?? (env.KEYUAN_KEY_FILE?.trim() || undefined)
  return chosen !== undefined ? path.resolve(chosen) : path.join(dataDir, KEY_FILE_NAME)
}

/**
 * The headless host's database key: `KEYUAN_DB_KEY`, else the key file (see keyFilePath;
 * mode 0600). A new key is made only for a new database: an existing database without its
 * key is refused, never replaced.
 */
export function resolveHeadlessKey(dataDir: string, env: NodeJS.ProcessEnv = process.env, keyFileOption?: string): ResolvedKey {
  const fromEnv = env.KEYUAN_DB_KEY?.trim()
  if (fromEnv) {
    if (!/^[0-9a-f]{64}$/i.test(fromEnv)) throw new DbOpenError('DB_BAD_KEY_FORMAT', 'KEYUAN_DB_KEY')
    return { keyHex: fromEnv.toLowerCase(), source: 'env' }
  }
  const keyFile = keyFilePath(dataDir, keyFileOption, env)
  try {
    return readOrMakeKeyFile(dataDir, keyFile)
  } catch (err) {
    if (err instanceof DbOpenError) throw err
    throw new DbOpenError('KEY_FILE_ACCESS', `${keyFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
}

function readOrMakeKeyFile(dataDir: string, keyFile: string): ResolvedKey {
  if (fs.existsSync(keyFile)) {
    const keyHex = fs.readFileSync(keyFile, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/i.test(keyHex)) throw new DbOpenError('DB_BAD_KEY_FORMAT', keyFile)
    return { keyHex: keyHex.toLowerCase(), source: 'key-file' }
  }
  const dbFile = path.join(dataDir, DB_FILE_NAME)
  if (fs.existsSync(dbFile) && fs.statSync(dbFile).size > 0) {
    throw new DbOpenError('DB_LOCKED', `${keyFile} is missing; restore it, point --key-file at it, or set KEYUAN_DB_KEY`)
  }
  fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 })
  const keyHex = randomBytes(32).toString('hex')
  // 'wx': never overwrite a key file another process wrote a moment ago
  fs.writeFileSync(keyFile, `${keyHex}\n`, { mode: 0o600, flag: 'wx' })
  return { keyHex, source: 'new-key-file' }
}
