import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiClient } from '@shared/contract/client'
import { Dispatcher } from './api/dispatcher'
import { HostEvents } from './api/events'
import { createHandlers } from './api/handlers'
import { inProcessTransport } from './api/in-process-transport'
import { systemClock, type Clock } from './clock'
import { DbOpenError, storageOpenError } from './db/db-error'
import { acquireHostLock, type HostLock } from './db/host-lock'
import { DB_FILE_NAME, keyFilePath, resolveHeadlessKey, type ResolvedKey } from './db/key-file'
import { readKeyRing, writeKeyRing } from './db/key-ring'
import { keyFileKeeper, NEXT_KEY_ENV, type KeyKeeper } from './db/key-keeper'
import { settleGivenKeys, settlePendingRekey, type RekeySettled } from './db/rekey'
import { openDatabase, type OpenedDatabase } from './db/open'
import { makeRecoveryKey, recoveryRecordPath, wrapDbKey, writeRecoveryRecord } from './db/recovery-key'
import { LATEST_SCHEMA_VERSION } from './db/migrate'
import { readersFromEnv, SqliteWorkerPool } from './db/worker-pool'
import { seedDemoClients, seedDemoStaff } from './demo/demo-staff'
import { LimitsStore } from './domains/auth/limits.repository'
import { SignInAudit } from './domains/auth/sign-in-audit'
import { SignInGuard } from './domains/auth/sign-in-guard'
import { AUDIT_ANCHOR_FILE_NAME, AuditAnchor } from './domains/audit/audit-anchor'
import { deriveAuditKeys } from './domains/audit/audit-keys'
import { AuditLog } from './domains/audit/audit-log'
import { BackupService } from './domains/backup/backup-service'
import { rotateKey, type Rekeyed, type RekeyStep } from './domains/backup/key-rotation'
import { HealthMonitor } from './domains/health/health-monitor'
import { ensureFirstAdmin, type FirstAdmin } from './domains/staff/first-admin'
import { refreshTextKeys } from './domains/clients/text-rekey'
import type { TransportLimits } from './lan/limits'
import { isLoopbackBind, startServer, type RunningServer } from './lan/server'
import { DeviceRegistry } from './pairing/device-registry'
import { advertiseHost } from './pairing/discovery'
import { LanPairing } from './pairing/lan-pairing'
import { StandbyFeed } from './standby/standby-feed'
import { PROMOTED_FILE } from './standby/standby-protocol'
import { BranchTls } from './tls/branch-tls'
import { lanServerNames } from './tls/server-names'
import { APP_VERSION } from './version'
import { Scheduler } from './scheduler/scheduler'
import { JobRunner } from './jobs/job-runner'
import { JOB_KINDS } from './jobs/job-kinds'
import { ExportFiles } from './domains/export/export-files'
import { exportJob } from './domains/export/export-job'
import { BoardCache } from './domains/board/board-cache'

export interface HostOptions {
  dataDir: string
  /** 0 picks a free port. */
  port?: number
  /** loopback by default; any other address is served over TLS only. */
  bind?: string
  /** serve TLS on loopback too (tests of the LAN path, a host reached through a tunnel). */
  tls?: boolean
  /** with TLS, ask loopback callers for a paired device too (tests that play LAN PCs from 127.0.0.1); else the host PC's own window needs none. */
  pairLoopback?: boolean
  demo?: boolean
  /** how many demo clients --demo writes into an empty client book (default 300). */
  demoClients?: number
  clock?: Clock
  /** the key from Electron safeStorage; otherwise KEYUAN_DB_KEY or the key file. */
  keyHex?: string
  /**
   * the desktop's key owner (Electron main, db/key-keeper.ts parentKeyKeeper): it gave the key in
   * KEYUAN_DB_KEY (and a pending one a rekey left in KEYUAN_DB_KEY_NEXT) and keeps a new one on a rekey
   */
  keyKeeper?: KeyKeeper
  /** the headless key file (--key-file); else KEYUAN_KEY_FILE, else keyuan.key in dataDir. */
  keyFile?: string | undefined
  rendererDir?: string
  env?: NodeJS.ProcessEnv
  /** skip the HTTP server (tests that only need the dispatcher). */
  noServer?: boolean
  /** bounds of the LAN server other than the defaults (a benchmark lifts the call rate). */
  transportLimits?: Partial<TransportLimits>
  /** ms between full rule evaluations; 0 leaves the timer off (tests run the scheduler by hand). */
  schedulerIntervalMs?: number
  /** reader connections beside the writer; else KEYUAN_DB_READERS, else DEFAULT_READERS. */
  readers?: number
  /**
   * the database workers load their domain procedures at start rather than at the first call that
   * needs one (the host process does: its first follow-up and today list do not pay for it; tests'
   * hosts, started by the hundred, do not: see WorkerSetup.warmProcedures)
   */
  warmProcedures?: boolean
  /** called between the steps of a rekey (tests stop the process at one) */
  onRekeyStep?: (step: RekeyStep) => void
  log?: (msg: string, err?: unknown) => void
}

export interface Host {
  url: string | null
  port: number | null
  dataDir: string
  keySource: ResolvedKey['source']
  schemaVersion: number
  firstAdmin: FirstAdmin | null
  /** what this start found of a rekey a crash interrupted (db/rekey.ts): none, undone (old key kept), completed (new key in place) */
  rekeySettled: RekeySettled
  /** changes the database key and the recovery key (backup.rekey); the new recovery key is shown once */
  rekey(): Promise<Rekeyed>
  /** the recovery key made on the first start of a new database: shown once, stored nowhere (only the key it wraps is). */
  recoveryKey: string | null
  /** the branch CA and server certificate when the host serves TLS; null on plain loopback. */
  tls: BranchTls | null
  /** the pairing code and the paired devices (their gate guards the LAN server when it serves TLS). */
  pairing: LanPairing
  /** the start-up connection on the event loop (migrations, seeding); it serves no call. Tests read through it. */
  database: OpenedDatabase
  /** the connections that serve calls: the writer and the readers, each in a worker thread. */
  pool: SqliteWorkerPool
  auditLog: AuditLog
  /** this process holds the data folder (pid, computer, start time). */
  lock: HostLock['info']
  dispatcher: Dispatcher
  events: HostEvents
  clock: Clock
  scheduler: Scheduler
  /** works the long jobs (rule passes, departures) in slices */
  jobs: JobRunner
  /** the branch's backups (on demand and when due). */
  backups: BackupService
  /** 设置 › 系统状态: integrity, backups' age, lag (its timers run with the scheduler's). */
  health: HealthMonitor
  /** the standbys and the change feed they pull */
  standby: StandbyFeed
  /** a typed client over the in-process transport. */
  client(): ApiClient
  close(): Promise<void>
}

/** Makes the recovery key of a new database and stores the database key wrapped by it; returns the key, to be shown once. */
async function makeRecoveryRecord(file: string, keyHex: string, at: Date): Promise<string> {
  const recoveryKey = makeRecoveryKey()
  writeRecoveryRecord(file, await wrapDbKey(keyHex, recoveryKey, at))
  return recoveryKey
}

/** Where the built renderer sits beside the built host (out/main/host.js -> out/renderer). */
export function defaultRendererDir(): string {
  return path.resolve(__dirname, '../renderer')
}

/**
 * Opens (or creates) the branch database in `dataDir` and serves the API and the renderer.
 * Refuses a data folder another host holds (DbOpenError DB_IN_USE), and names a read-only
 * folder or a full disk as what it is.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const clock = opts.clock ?? systemClock
  const env = opts.env ?? process.env
  const log = opts.log ?? (() => {})
  try {
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw storageOpenError(err, opts.dataDir) ?? err
  }
  const lock = acquireHostLock(opts.dataDir, clock.now())
  const bind = opts.bind ?? '127.0.0.1'
  let tls: BranchTls | null = null
  if (!opts.noServer && (opts.tls || !isLoopbackBind(bind))) {
    try {
      // before the database opens: a host that cannot serve TLS on the LAN does not start at all
      // a promoted standby serves the certificate the old host's CA signed for it (its CA key stayed there)
      const caKeyElsewhere = fs.existsSync(path.join(opts.dataDir, PROMOTED_FILE))
      tls = BranchTls.open({ dataDir: opts.dataDir, names: () => lanServerNames(bind), clock, log: (msg) => log(msg), caKeyElsewhere })
    } catch (err) {
      lock.release()
      throw err
    }
  }
  let database: OpenedDatabase
  let key: ResolvedKey
  let readers: number
  let rekeySettled: RekeySettled = 'none'
  let auditRoot: string
  const file = path.join(opts.dataDir, DB_FILE_NAME)
  // the key file a rekey may rewrite: none when the key comes from outside (the desktop, KEYUAN_DB_KEY)
  const keyFile = opts.keyHex || env.KEYUAN_DB_KEY?.trim() ? null : keyFilePath(opts.dataDir, opts.keyFile, env)
  // who keeps a new key on a rekey: the desktop's key owner, the key file; nobody for a bare KEYUAN_DB_KEY
  const keeper = opts.keyKeeper ?? (keyFile ? keyFileKeeper(keyFile) : null)
  const isNewDatabase = !fs.existsSync(file) || fs.statSync(file).size === 0
  try {
    readers = opts.readers ?? readersFromEnv(env)
    if (keyFile && !isNewDatabase) rekeySettled = settlePendingRekey(file, keyFile)
    key = opts.keyHex ? { keyHex: opts.keyHex, source: 'given' } : resolveHeadlessKey(opts.dataDir, env, opts.keyFile)
    const pendingKey = env[NEXT_KEY_ENV]?.trim().toLowerCase()
    if (opts.keyKeeper && pendingKey && !isNewDatabase) {
      if (!/^[0-9a-f]{64}$/.test(pendingKey)) throw new DbOpenError('DB_BAD_KEY_FORMAT', NEXT_KEY_ENV)
      const given = settleGivenKeys(file, key.keyHex, pendingKey)
      rekeySettled = given.settled
      key = { ...key, keyHex: given.keyHex }
      // the owner learns which key the file kept before anything is written under it
      if (given.settled === 'undone') await opts.keyKeeper.drop()
      if (given.settled === 'completed') await opts.keyKeeper.commit()
    }
    if (rekeySettled === 'undone') log('a key change (rekey) was interrupted before it took effect: the database keeps its old key and recovery key')
    if (rekeySettled === 'completed') log('a key change (rekey) interrupted after it took effect was finished: the new key and recovery record are in place')
    database = openDatabase(file, key.keyHex)
    // the audit keys keep deriving from the first key across rekeys (db/key-ring.ts)
    auditRoot = readKeyRing(database.sqlite).auditRoot ?? key.keyHex
  } catch (err) {
    lock.release()
    throw storageOpenError(err, opts.dataDir) ?? err
  }
  // the workers open their connections while the start-up work below runs on this one
  const opening = SqliteWorkerPool.open({ file, keyHex: key.keyHex, readers, log, warmProcedures: opts.warmProcedures === true })
  // settled either way, so a failed start below can close it; a pool that failed to open closed itself
  const pool = opening.then(
    (p) => p,
    () => null,
  )
  const auditLog = new AuditLog(deriveAuditKeys(auditRoot), new AuditAnchor(path.join(opts.dataDir, AUDIT_ANCHOR_FILE_NAME)), clock)
  let verifying: Promise<unknown> = Promise.resolve()
  // made in the try below; a start that fails after it stops it before the connections close
  let jobs: JobRunner | null = null
  try {
    const firstAdmin = await ensureFirstAdmin(database.db, clock, env, auditLog)
    const recoveryKey = isNewDatabase && !fs.existsSync(recoveryRecordPath(file)) ? await makeRecoveryRecord(file, key.keyHex, clock.now()) : null
    const rekey = await refreshTextKeys(database.db, clock.now().toISOString())
    if (rekey.rekeyed > 0) log(`search keys computed again for ${rekey.rekeyed} clients; org names now equal to another client's: ${rekey.orgKeyTaken.join(', ') || 'none'}`)
    if (opts.demo) {
      await seedDemoStaff(database.db, clock)
      seedDemoClients(database.sqlite, clock, opts.demoClients)
    }
    const found = await auditLog.catchUp(database.db)
    if (found.status !== 'agrees' && found.status !== 'none') {
      log(`audit anchor ${found.status}: the anchor file ${found.status === 'missing' ? 'was missing; a new one starts at the current head' : 'does not match the database (see audit.verify)'}`)
    }
    // from here on calls, jobs and timers use the workers; on this thread only a small search runs (the pool's LoopReader)
    const workers = await opening
    // the whole chain is walked once at start, in the background, for /healthz
    verifying = auditLog.verify(workers.reader).catch((err: unknown) => log('audit verify at start failed', err))
    const events = new HostEvents()
    const guard = new SignInGuard(clock, await LimitsStore.open(workers.writer))
    const signInAudit = new SignInAudit({ db: workers.writer, auditLog, clock, signInLocked: (a, u) => guard.signInLocked(a, u), log: opts.log })
    signInAudit.start()
    // a rekey changes it; everything that opens the file asks for it when it opens
    let keyHex = key.keyHex
    const backups = new BackupService({
      dataDir: opts.dataDir,
      file,
      keyHex: () => keyHex,
      retiredKeys: async () => (await workers.reader.selectFrom('key_ring').select('key_hex').where('purpose', '=', 'retired').orderBy('id', 'desc').execute()).map((r) => r.key_hex),
      clock,
      db: workers.reader,
      latestSchema: LATEST_SCHEMA_VERSION,
      verifyChain: (db) => auditLog.verifyChainOf(db),
      log,
      // a restore: every connection closes (calls wait), the live files are kept aside, the checked copy takes their place
      replaceDatabase: async (candidate, keptAs) => {
        await workers.reopen(async () => {
          // the restored file gets this one's key ring: the same audit root, the keys its backups may need
          const ring = readKeyRing(database.sqlite)
          await database.close()
          const moved: string[] = []
          let swapped = false
          try {
            for (const suffix of ['', '-wal', '-shm']) {
              if (!fs.existsSync(file + suffix)) continue
              fs.renameSync(file + suffix, keptAs + suffix)
              moved.push(suffix)
            }
            fs.renameSync(candidate, file)
            swapped = true
            database = openDatabase(file, keyHex)
            writeKeyRing(database.sqlite, ring, clock.now().toISOString())
          } catch (err) {
            // put the live database back as it was, and serve it again
            if (swapped) fs.renameSync(file, candidate)
            for (const suffix of moved) fs.renameSync(keptAs + suffix, file + suffix)
            database = openDatabase(file, keyHex)
            throw err
          }
        })
        await auditLog.restartAnchor(workers.writer, (anchorFile) => fs.renameSync(anchorFile, `${keptAs}.${AUDIT_ANCHOR_FILE_NAME}`))
      },
    })
    const changeKey = () =>
      backups.alone(() =>
        rotateKey({
          file,
          keeper,
          clock,
          currentKey: () => keyHex,
          onStep: opts.onRekeyStep,
          log,
          recordRetired: async (old, at) => {
            await workers.writer.transaction().execute(async (tx) => {
              await tx.insertInto('key_ring').values({ purpose: 'audit_root', key_hex: auditRoot, at }).onConflict((oc) => oc.doNothing()).execute()
              await tx.insertInto('key_ring').values({ purpose: 'retired', key_hex: old, at }).onConflict((oc) => oc.doNothing()).execute()
            })
          },
          // as a restore: every connection closes (calls wait), the file is rekeyed, all open again under the key it now opens with
          swapKey: (change) =>
            workers.reopen(async () => {
              await database.close()
              try {
                keyHex = await change()
                workers.setKey(keyHex)
              } finally {
                database = openDatabase(file, keyHex)
              }
            }),
        }),
      )
    const exports = new ExportFiles(opts.dataDir, clock)
    let server: RunningServer | null = null
    let standbyFeed: StandbyFeed | null = null
    const health = new HealthMonitor({
      file,
      keyHex: () => keyHex,
      clock,
      reader: workers.reader,
      writer: workers.writer,
      events,
      auditLog,
      backups,
      schemaVersion: () => database.schemaVersion,
      // made below; the health page asks only once the host serves
      scheduler: () => scheduler.status(),
      terminals: () => server?.terminals() ?? 0,
      connections: () => workers.status(),
      // the feed is made below, once the pairing registry is there
      standbys: async (db, now) => (standbyFeed ? standbyFeed.health(db, now) : []),
      log,
    })
    // the LAN lets in paired devices only; the registry reads their token hashes once, here. Made
    // on loopback too, so the admin still sees (and can revoke) devices paired while it served the LAN
    const pairing = new LanPairing({
      registry: await DeviceRegistry.open({ db: workers.writer, auditLog, clock, exemptLoopback: opts.pairLoopback !== true, log }),
      clock,
      caSha256: () => tls?.fingerprint.sha256 ?? '',
      log: (msg) => log(msg),
    })
    const stopLastSeen = pairing.registry.startFlushing()
    // the standbys the admin made of paired devices, and the feed they pull (issue #18 item 9)
    const standby = (standbyFeed = await StandbyFeed.open({
      writer: workers.writer,
      reader: workers.reader,
      registry: pairing.registry,
      file,
      keyHex: () => keyHex,
      schemaVersion: () => database.schemaVersion,
      clock,
      log,
      ca: () => (tls?.holdsCaKey ? tls : null),
      auditLog,
    }))
    let stopPruning: (() => Promise<void>) | null = null
    const handlers = createHandlers(
      { guard, signInAudit },
      { tls: () => tls?.status() ?? null, backups, exports, health, devices: { window: pairing.window, registry: pairing.registry, standby }, rekey: changeKey, loop: workers.loop, board: new BoardCache(() => workers.boardGeneration) },
    )
    const dispatcher = new Dispatcher({ db: workers, clock, events, handlers, auditLog, signInAudit, log: opts.log })
    // the loop's share of search time protects other callers: a caller alone is answered on the loop
    workers.loop.othersInFlight = () => dispatcher.callsInFlight > 1
    // long jobs (rule passes, departures) in slices, each slice behind the calls waiting for the writer; what a stopped host left running resumes now
    const runner = new JobRunner({ db: workers.jobWriter, env: { clock, events, auditLog }, kinds: [...JOB_KINDS, exportJob(exports)], log: opts.log, callsWaited: () => workers.writerCallsWaited })
    runner.start()
    jobs = runner
    const scheduler = new Scheduler({ db: workers.jobWriter, clock, runner, intervalMs: opts.schedulerIntervalMs, log: opts.log })
    if (!opts.noServer) {
      server = await startServer({
        dispatcher,
        events,
        rendererDir: opts.rendererDir ?? defaultRendererDir(),
        host: bind,
        port: opts.port ?? 0,
        tls: tls ?? undefined,
        downloads: exports,
        // without TLS the host serves this PC only: nothing to pair, nothing to gate
        pairing: tls ? pairing : undefined,
        standby: tls ? standby : undefined,
        health: () => ({ status: 'ok', version: APP_VERSION, schemaVersion: database.schemaVersion, audit: auditLog.health() }),
        clock,
        limits: opts.transportLimits,
        log: opts.log ? (msg) => opts.log?.(msg) : undefined,
      })
    }
    // the timers once the host serves: a start refused before here (a port in use) has none to stop
    if ((opts.schedulerIntervalMs ?? 60_000) > 0) {
      scheduler.start()
      backups.startTimer()
      health.start()
      stopPruning = standby.startPruning()
    }
    const stopRenewal = tls?.startRenewal()
    // terminals find a LAN host by mDNS/DNS-SD; a host on loopback has nobody to tell
    const stopAnnouncing =
      tls && server && !isLoopbackBind(bind) ? advertiseHost({ name: `Keyuan ${os.hostname()}`, port: server.port, shortCode: tls.fingerprint.shortCode, log: (msg) => log(msg) }) : null
    return {
      url: server?.url ?? null,
      port: server?.port ?? null,
      dataDir: opts.dataDir,
      keySource: key.source,
      schemaVersion: database.schemaVersion,
      firstAdmin,
      recoveryKey,
      rekeySettled,
      rekey: changeKey,
      tls,
      pairing,
      // a getter: a restore opens the start-up connection again on the restored file
      get database() {
        return database
      },
      pool: workers,
      auditLog,
      lock: lock.info,
      dispatcher,
      events,
      clock,
      scheduler,
      jobs: runner,
      backups,
      health,
      standby,
      client: () => new ApiClient(inProcessTransport(dispatcher, events)),
      // stop taking calls and let those in flight commit, then the timers; the workers close
      // after the calls still holding a connection, the writer last, folding the WAL into the
      // database file so a copied data folder is complete
      close: async () => {
        stopRenewal?.()
        await stopAnnouncing?.()
        await server?.close()
        await stopLastSeen()
        await stopPruning?.()
        // counted failed sign-ins and the last lock changes reach the disk before it closes
        await signInAudit.close()
        await guard.flush()
        await runner.stop()
        await scheduler.stop()
        await backups.close()
        await health.close()
        await verifying
        // audit rows of the last answers (phone lookups) are written before the writer closes
        await dispatcher.drain()
        exports.close()
        await workers.close()
        await database.close()
        auditLog.close()
        lock.release()
      },
    }
  } catch (err) {
    await jobs?.stop()
    await verifying
    await (await pool)?.close()
    await database.close()
    auditLog.close()
    lock.release()
    throw storageOpenError(err, opts.dataDir) ?? err
  }
}
