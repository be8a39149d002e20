import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { makeRecoveryKey } from '../../electron/host/db/recovery-key'
import { startHost } from '../../electron/host/host'
import { WRAPPED_KEY_FILE, type KeyWrapper } from '../../electron/main/db-key'
import { resolveDesktopKey, type KeyDialogs } from '../../electron/main/desktop-key'
import { keyProblemDialog, recoveryKeyPromptHtml } from '../../electron/main/desktop-texts'
import { adminClient } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

/** An OS key store of one user profile: it opens only what it wrapped itself, as safeStorage does. */
function profile(name: string, available = true): KeyWrapper {
  const tag = Buffer.from(`${name}:`)
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.concat([tag, Buffer.from(s).map((b) => b ^ 0x5a)]),
    decryptString: (b) => {
      if (!b.subarray(0, tag.length).equals(tag)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString')
      return Buffer.from(b.subarray(tag.length).map((x) => x ^ 0x5a)).toString('utf8')
    },
    getSelectedStorageBackend: () => 'gnome_libsecret',
  }
}

function scripted(answers: { ask: Array<boolean | 'recovery'>; recoveryKeys: Array<string | null> }) {
  const seen: string[] = []
  const dialogs: KeyDialogs = {
    ask: async (problem, pick, recoveryOffered) => {
      seen.push(`ask ${problem}/${pick}${recoveryOffered ? '+recovery' : ''}`)
      return answers.ask.shift() ?? false
    },
    askRecoveryKey: async (failure) => {
      seen.push(`recovery key${failure ? ` (${failure.reason}${failure.group ? ` ${failure.group}` : ''})` : ''}`)
      return answers.recoveryKeys.shift() ?? null
    },
    pickFolder: async () => null,
    tellFailed: async (why) => void seen.push(`failed ${why}`),
  }
  return { dialogs, seen }
}

/** A desktop's folders with a real encrypted branch database made by the host; its key and recovery key. */
async function desktopWithDatabase() {
  const root = tempDir('keyuan-desk-')
  dirs.push(root)
  const userDataDir = path.join(root, 'userData')
  const dataDir = path.join(userDataDir, 'data')
  const host = await startHost({ dataDir, clock: new ManualClock(new Date('2026-12-06T02:00:00Z')), noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0 })
  const recoveryKey = host.recoveryKey!
  await host.close()
  const keyHex = resolveHeadlessKey(dataDir, {}).keyHex
  // the desktop keeps its key in the OS store, not in a key file
  fs.rmSync(path.join(dataDir, 'keyuan.key'))
  return { userDataDir, dataDir, recoveryKey, keyHex }
}

function mistype(key: string, group: number): string {
  const groups = key.split('-')
  const g = groups[group - 1]!
  groups[group - 1] = (g[0] === 'A' ? 'B' : 'A') + g.slice(1)
  return groups.join('-')
}

describe('desktop: the recovery-key path', () => {
  it('a wrapped key another profile made is said to be unreadable; the recovery key opens the database and is wrapped again', async () => {
    const d = await desktopWithDatabase()
    fs.writeFileSync(path.join(d.userDataDir, WRAPPED_KEY_FILE), profile('old-pc').encryptString(d.keyHex))
    const newProfile = profile('new-pc')
    const { dialogs, seen } = scripted({ ask: ['recovery'], recoveryKeys: [mistype(d.recoveryKey, 2), makeRecoveryKey(), d.recoveryKey] })
    const key = await resolveDesktopKey({ userDataDir: d.userDataDir, dataDir: d.dataDir, databaseExists: true, wrapper: newProfile, platform: 'win32', dialogs })
    expect(seen).toEqual(['ask wrapped_unreadable/existing+recovery', 'recovery key', 'recovery key (recovery_key_group 2)', 'recovery key (recovery_key_wrong)'])
    expect(key).toEqual({ keyHex: d.keyHex, source: 'recovery-key', stored: true })
    // the next start reads the key from this profile's store without asking
    const next = scripted({ ask: [], recoveryKeys: [] })
    expect(await resolveDesktopKey({ userDataDir: d.userDataDir, dataDir: d.dataDir, databaseExists: true, wrapper: newProfile, platform: 'win32', dialogs: next.dialogs })).toEqual({
      keyHex: d.keyHex,
      source: 'safe-storage',
    })
    expect(next.seen).toEqual([])
    // and the host serves the branch with it
    const host = await startHost({ dataDir: d.dataDir, keyHex: d.keyHex, noServer: true, schedulerIntervalMs: 0, env: {} })
    try {
      expect((await (await adminClient(host)).call('staff.list', {})).rows.map((r) => r.username)).toContain('admin')
    } finally {
      await host.close()
    }
  })

  it('with no usable key store the recovery key opens this start only and nothing is written; going back returns to the choice', async () => {
    const d = await desktopWithDatabase()
    const { dialogs, seen } = scripted({ ask: ['recovery', 'recovery'], recoveryKeys: [null, d.recoveryKey] })
    const key = await resolveDesktopKey({ userDataDir: d.userDataDir, dataDir: d.dataDir, databaseExists: true, wrapper: profile('x', false), platform: 'linux', dialogs })
    expect(key).toEqual({ keyHex: d.keyHex, source: 'recovery-key', stored: false })
    expect(seen).toEqual(['ask unavailable/existing+recovery', 'recovery key', 'ask unavailable/existing+recovery', 'recovery key'])
    expect(fs.readdirSync(d.userDataDir)).toEqual(['data'])
  })

  it('is not offered for a database without its recovery record (made before recovery keys)', async () => {
    const d = await desktopWithDatabase()
    fs.rmSync(path.join(d.dataDir, `${DB_FILE_NAME}.recovery.json`))
    const { dialogs, seen } = scripted({ ask: ['recovery', false], recoveryKeys: [d.recoveryKey] })
    expect(await resolveDesktopKey({ userDataDir: d.userDataDir, dataDir: d.dataDir, databaseExists: true, wrapper: profile('x'), platform: 'win32', dialogs })).toBe('quit')
    expect(seen.filter((s) => s.startsWith('recovery'))).toEqual([])
    expect(seen[0]).toBe('ask wrapped_missing/existing')
  })

  it('says the offer and the prompt in Chinese and English, naming a mistyped group', () => {
    const offered = keyProblemDialog('wrapped_unreadable', 'existing', true)
    expect(offered.buttons).toEqual(['退出 Quit', '选择密钥文件所在文件夹… Choose its folder…', '使用恢复密钥… Use the recovery key…'])
    expect(offered.detail).toContain('恢复密钥')
    expect(offered.detail).toContain('recovery key')
    const html = recoveryKeyPromptHtml({ reason: 'recovery_key_group', group: 3 })
    expect(html).toContain('第 3 组')
    expect(html).toContain('Group 3 is mistyped')
    expect(html).toContain('action="keyuan-recovery:answer"')
    expect(recoveryKeyPromptHtml(null)).not.toContain('role="alert"')
  })
})
