import { parseHostArgs, HELP } from './cli-args'
import { DbOpenError } from './db/db-error'
import { KEY_KEEPER_ENV, parentChannel, parentKeyKeeper } from './db/key-keeper'
import { recoverDataFolder } from './db/recover'
import { RecoveryKeyError } from './db/recovery-key'
import { DEMO_PASSWORD, DEMO_STAFF } from './demo/demo-staff'
import { checkDataFolder, formatDataFolderCheck } from './domains/health/data-folder-check'
import { FirstAdminPasswordError } from './domains/staff/first-admin'
import { startHost } from './host'
import { followedHost, Follower, pairStandby, promoteDataFolder, seedStandby, StandbyError } from './standby/follower'
import { ensureStandbyCertificate, STANDBY_CERT_CHECK_MS } from './standby/standby-certificate'
import { TLS_DIR, TLS_FILES } from './tls/branch-tls'
import fs from 'node:fs'
import path from 'node:path'
import { DB_FILE_NAME } from './db/key-file'
import { TlsSetupError } from './tls/tls-error'

/**
 * Entry of the host service: `npm run host` (headless) and Electron's utilityProcess.
 * Under Electron the parent passes the key in KEYUAN_DB_KEY, waits for a 'ready' message and
 * keeps a new key on a rekey (KEYUAN_KEY_KEEPER=parent, db/key-keeper.ts).
 */
async function main() {
  let args
  try {
    args = parseHostArgs(process.argv.slice(2), process.cwd())
  } catch (err) {
    console.error(`keyuan host: ${(err as Error).message}`)
    process.exit(2)
  }
  if (args.help) {
    console.log(HELP)
    return
  }
  if (args.check) {
    const found = await checkDataFolder({ dataDir: args.data, keyFile: args.keyFile, env: process.env, now: new Date() })
    if (!found) console.error(`keyuan host: there is no database in ${args.data} (nothing to check; give the data folder with --data)`)
    else console.log(formatDataFolderCheck(found))
    process.exitCode = found?.ok ? 0 : 1
    return
  }
  // a launcher that asked for it (KEYUAN_STOP_WITH_PARENT): the host goes with it, from the very start on
  // (a first start can migrate or catch up for minutes; until it is ready nothing is served, nothing is
  // in flight and every write is a transaction, so leaving then loses nothing)
  let onParentGone = (): void => {
    console.error('keyuan host: the launching process exited before the host was ready: exiting')
    process.exit(1)
  }
  watchParent(process.env.KEYUAN_STOP_WITH_PARENT, () => onParentGone())
  if (args.follow) return follow(args.data, args.follow, args.keyFile, (stopFollowing) => (onParentGone = stopFollowing))
  if (args.promote) {
    const promoted = await promoteDataFolder({ dataDir: args.data, keyFile: args.keyFile, env: process.env, now: new Date() })
    console.error(
      `keyuan host: promoted (备机已提升为主机): the copy checks; it holds the host's changes up to ${promoted.seq}, pulled ${promoted.pulledAt ?? 'never'}; starting as the host`,
    )
    console.error(
      fs.existsSync(path.join(args.data, TLS_DIR, TLS_FILES.serverCert))
        ? 'keyuan host: it serves the certificate the branch CA signed for this standby: paired terminals accept it without pairing again'
        : "keyuan host: this standby never received its certificate from the branch CA: on the LAN it will not serve TLS (copy the old host's tls folder here if its disk survives)",
    )
  }
  if (args.recover) {
    const recovered = await recoverDataFolder({ source: args.recover, dataDir: args.data, keyFile: args.keyFile, env: process.env, typedKey: await readRecoveryKey() })
    console.error(
      `keyuan host: recovered with the recovery key (恢复密钥): ${recovered.copied ? 'the backup was copied into the data folder; ' : ''}the database key is in the key file again (${recovered.keyFile})`,
    )
  }
  const started = Date.now()
  // the desktop's Electron main keeps the key and answers for it over the channel it started us with
  const keeperChannel = process.env[KEY_KEEPER_ENV] === 'parent' ? parentChannel() : null
  const host = await startHost({
    keyKeeper: keeperChannel ? parentKeyKeeper(keeperChannel) : undefined,
    dataDir: args.data,
    keyFile: args.keyFile,
    port: args.port,
    bind: args.bind,
    tls: args.tls,
    demo: args.demo,
    demoClients: args.demoClients,
    warmProcedures: true,
    rendererDir: process.env.KEYUAN_RENDERER_DIR || undefined,
    log: (msg, err) => (err === undefined ? console.error(`keyuan host: ${msg}`) : console.error(`keyuan host: ${msg}`, err)),
  })
  // before the ready line: a launcher may stop the host the moment it reads it
  let stopping = false
  const stop = (why: string, boundMs?: number) => {
    if (stopping) return
    stopping = true
    console.error(`keyuan host: ${why}: stopping (calls in flight finish, then the database is closed)`)
    // nobody is left to send a second signal: a stop that hangs ends by itself
    if (boundMs !== undefined) setTimeout(() => exitNow(`still stopping ${boundMs / 1000} s after the launching process exited`), boundMs).unref()
    host.close().then(
      () => {
        console.error('keyuan host: stopped')
        process.exit(0)
      },
      (err: unknown) => {
        console.error('keyuan host: could not stop cleanly', err)
        process.exit(1)
      },
    )
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) return stop(signal)
      console.error(`keyuan host: ${signal} again: exiting now`)
      process.exit(1)
    })
  }
  const lines = [
    `Keyuan host ready in ${Date.now() - started} ms: ${host.url}`,
    `  data:   ${host.dataDir} (schema ${host.schemaVersion}, key from ${host.keySource})`,
    `  API:    ${host.url}/docs/api`,
  ]
  if (host.tls) {
    lines.push(
      `  TLS:    branch certificate code ${host.tls.fingerprint.shortCode} (分店证书核对码; compare it on each PC)`,
      `  LAN:    ${host.tls.lanUrls(host.port!).join('  ')}`,
      `          CA for browsers (分店证书下载): ${host.url}/tls`,
    )
  }
  if (host.firstAdmin) {
    lines.push(
      `  First start: sign in as "${host.firstAdmin.username}" with password "${host.firstAdmin.password}"`,
      '  (shown only this once; change it under 设置 after signing in)',
    )
  }
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void } }).parentPort
  // under the desktop the console goes to the host log, where a recovery key must never be: the window shows it
  if (host.recoveryKey && !parentPort) lines.push(...recoveryKeyLines(host.recoveryKey))
  if (args.demo) lines.push(`  Demo staff (password "${DEMO_PASSWORD}"): ${DEMO_STAFF.map((s) => `${s.username} (${s.role})`).join(', ')}`)
  console.log(lines.join('\n'))

  // the desktop shows the first admin's sign-in in its window (electron/main/window-policy.ts parseHostReady)
  parentPort?.postMessage({ type: 'ready', url: host.url, firstAdmin: host.firstAdmin, recoveryKey: host.recoveryKey })

  onParentGone = () => stop('the launching process exited', ORPHAN_STOP_MS)
}

function exitNow(why: string): never {
  console.error(`keyuan host: ${why}: exiting now`)
  process.exit(1)
}

/** The console's once-only showing of a new database's recovery key. */
function recoveryKeyLines(recoveryKey: string): string[] {
  return [
    '',
    '  ==== RECOVERY KEY (恢复密钥) — WRITE THIS DOWN NOW (请立即抄写并妥善保管) ====',
    `      ${recoveryKey}`,
    '  It is shown only this once and stored nowhere. With it and a backup, a new PC opens this',
    '  branch even when this PC and its key file are gone: npm run host -- --data <new folder> --recover <backup>',
    '  仅显示这一次，不会保存。凭此密钥和一份备份，即使本机和密钥文件丢失，也能在新电脑上恢复本分店。',
    '  ==========================================================================',
    '',
  ]
}

/** Reads the recovery key from stdin (one line), asking on stderr when a person is at the terminal. */
function readRecoveryKey(): Promise<string> {
  return readLine('Recovery key (恢复密钥): ')
}

let stdinLines: AsyncIterator<string> | null = null

/** The next line typed on stdin (asked on stderr when a person is at the terminal); '' at its end. */
async function readLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt)
  stdinLines ??= (await import('node:readline')).createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]()
  const next = await stdinLines.next()
  return next.done ? '' : next.value
}

/** How long a standby waits between asking whether the admin has made it one. */
const ALLOWED_POLL_MS = 5_000

/**
 * `--follow <address>`: the standby. Pairs the first time (code on stdin), fetches its seed once
 * the admin has made it a standby (recovery key on stdin), then follows until a signal stops it.
 */
async function follow(dataDir: string, address: string, keyFile: string | undefined, onParentGone: (stop: () => void) => void): Promise<void> {
  let paired = followedHost(dataDir)
  if (!paired) {
    paired = await pairStandby(dataDir, address, await readLine('Pairing code (配对码): '))
    console.error(`keyuan host: paired with ${paired.url} (branch certificate ${paired.shortCode}); the admin now marks this PC a standby under 设置 › 终端配对`)
  }
  if (!fs.existsSync(path.join(dataDir, DB_FILE_NAME))) {
    for (;;) {
      try {
        const seeded = await seedStandby({ dataDir, paired, typedKey: readRecoveryKey, keyFile, env: process.env })
        console.error(`keyuan host: standby seeded: a copy of the host's database up to change ${seeded.seq}`)
        break
      } catch (err) {
        if (!(err instanceof StandbyError) || err.reason !== 'standby_not_allowed') throw err
        console.error(`keyuan host: ${err.message}`)
        await new Promise((r) => setTimeout(r, ALLOWED_POLL_MS))
      }
    }
  }
  // the certificate it will serve with once promoted, signed by the branch CA terminals pin; checked again now and then
  const certify = () =>
    ensureStandbyCertificate({ dataDir, paired }).then(
      (c) => {
        if (c.changed) console.error(`keyuan host: the host signed this standby's certificate with the branch CA (${c.names.join(', ')}; until ${c.expiresAt}): terminals accept it once promoted`)
      },
      (err: unknown) => console.error(`keyuan host: no certificate from the branch CA yet (备机证书未签发), tried again later: ${err instanceof Error ? err.message : String(err)}`),
    )
  await certify()
  const certTimer = setInterval(() => void certify(), STANDBY_CERT_CHECK_MS)
  certTimer.unref()
  const follower = Follower.open({
    dataDir,
    paired,
    keyFile,
    env: process.env,
    log: (msg, err) => (err === undefined ? console.error(`keyuan host: ${msg}`) : console.error(`keyuan host: ${msg}`, err)),
    onApplied: ({ seq, changes, at }) => {
      if (changes > 0) console.log(`standby: applied ${changes} changes, at ${seq} (${at})`)
    },
  })
  console.log(`Keyuan standby following ${paired.url} from change ${follower.cursor()?.seq ?? 0} (data: ${dataDir})`)
  follower.start()
  const stop = (why: string) => {
    console.error(`keyuan host: ${why}: the standby stops after the pull in progress`)
    clearInterval(certTimer)
    void follower.stop().then(() => process.exit(0))
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(signal))
  onParentGone(() => {
    setTimeout(() => exitNow(`still stopping ${ORPHAN_STOP_MS / 1000} s after the launching process exited`), ORPHAN_STOP_MS).unref()
    stop('the launching process exited')
  })
}

/** How often the host checks that the process which launched it is still there. */
const PARENT_CHECK_MS = 500
/** How long a host whose launcher is gone may take to stop gracefully before it just exits. */
const ORPHAN_STOP_MS = 60_000

/**
 * Opt-in, never on for a host started by hand or by a service: KEYUAN_STOP_WITH_PARENT names
 * the pid that started the host, and once the host has been re-parented (that process is gone,
 * however it died: SIGKILL too) `onGone` runs. `npm run host` runs the host through `sh -c`, and sh
 * dies of a SIGTERM without passing it on, so scripts/host.mjs names that sh; tests and benchmarks
 * that spawn a host name themselves (tests/helpers/host-process.ts stopWithTest), so killing a
 * bench leaves no host working on behind it.
 */
function watchParent(parentPid: string | undefined, onGone: () => void): void {
  if (!parentPid) return
  const check = () => {
    if (String(process.ppid) === parentPid) return
    clearInterval(timer)
    onGone()
  }
  const timer = setInterval(check, PARENT_CHECK_MS)
  timer.unref()
  check()
}

main().catch((err: unknown) => {
  if (err instanceof DbOpenError) console.error(`keyuan host: ${err.reason}: ${err.message}`)
  else if (err instanceof FirstAdminPasswordError) console.error(`keyuan host: ${err.message}`)
  else if (err instanceof RecoveryKeyError) console.error(`keyuan host: ${err.reason}: ${err.message}`)
  else if (err instanceof StandbyError) console.error(`keyuan host: ${err.reason}: ${err.message}`)
  else if (err instanceof TlsSetupError) console.error(`keyuan host: ${err.fault}: ${err.message}`)
  else if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') console.error(`keyuan host: the port is already in use (try --port)`)
  else console.error('keyuan host: failed to start', err)
  process.exit(1)
})
