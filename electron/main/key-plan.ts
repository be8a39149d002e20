/** How usable the OS key store is: `basic_text` is Linux without a keyring, where "wrapped" means in effect in clear. */
export type KeyStoreState = 'available' | 'basic_text' | 'unavailable'

/** What the desktop finds on disk and in the OS at start. */
export interface KeySituation {
  store: KeyStoreState
  databaseExists: boolean
  /** db-key.wrapped, the key wrapped by the OS key store */
  wrappedKeyExists: boolean
  /** the key file chosen earlier (or named in KEYUAN_DESKTOP_KEY_FILE), if any */
  keyFile: string | null
  keyFileExists: boolean
}

/**
 * Why the user must decide: no safe store for a key, or the database's key is not where it should
 * be (`wrapped_unreadable`: db-key.wrapped is there but the OS key store cannot unwrap it, e.g. a new Windows profile).
 */
export type KeyProblem = 'basic_text' | 'unavailable' | 'wrapped_missing' | 'wrapped_unreadable' | 'key_file_missing'

/**
 * What a picked folder is for: `new` holds a new key (or the one already there), `existing` must
 * already hold the database's key, `move` receives the key now kept by a key store that stores it in clear.
 */
export type KeyFilePick = 'new' | 'existing' | 'move'

export type KeyPlan =
  /** the key wrapped by the OS key store: read it, or make one for a new database */
  | { kind: 'safe-storage' }
  /** the key file chosen earlier; `create` for a new database whose key file is not made yet */
  | { kind: 'key-file'; file: string; create: boolean }
  /** explain `problem`; the user quits or picks a folder for a key file */
  | { kind: 'ask'; problem: KeyProblem; pick: KeyFilePick }

/**
 * Decides where the database key comes from. A key file chosen once is kept (it never silently
 * moves back into a key store); a key store that keeps keys in clear is never used for a new key;
 * an existing database is never given a new key.
 */
export function planDbKey(s: KeySituation): KeyPlan {
  if (s.keyFile !== null) {
    if (s.keyFileExists) return { kind: 'key-file', file: s.keyFile, create: false }
    if (!s.databaseExists) return { kind: 'key-file', file: s.keyFile, create: true }
    return { kind: 'ask', problem: 'key_file_missing', pick: 'existing' }
  }
  if (s.store === 'available') {
    if (s.wrappedKeyExists || !s.databaseExists) return { kind: 'safe-storage' }
    return { kind: 'ask', problem: 'wrapped_missing', pick: 'existing' }
  }
  if (!s.databaseExists) return { kind: 'ask', problem: s.store, pick: 'new' }
  // basic_text can still read a key it wrapped: offer to move it out of the clear-text store
  if (s.store === 'basic_text' && s.wrappedKeyExists) return { kind: 'ask', problem: 'basic_text', pick: 'move' }
  return { kind: 'ask', problem: s.store, pick: 'existing' }
}
