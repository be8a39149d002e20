import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { ApiClient, type Transport } from '@shared/contract/client'
import type { Result } from '@shared/contract/common'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { spawnHost, type HostProcess } from '../helpers/host-process'
import { unitSheetBase64 } from '../helpers/unit-sheet'

/** The figures of a run: `lost`, `integrityFailures` and `auditFailures` must all be 0. */
export interface CrashFigures {
  trials: number
  /** writes the host answered ok before it was killed */
  acknowledged: number
  /** acknowledged writes missing after the restart */
  lost: number
  integrityFailures: number
  auditFailures: number
  /** what was wrong, one line each (empty when all is well) */
  problems: string[]
}

export interface CrashOptions {
  trials: number
  /** the longest a trial writes before its SIGKILL (a random moment in [0, this] after its first acknowledged write) */
  maxKillAfterMs: number
  /** stops starting new trials after this long, whatever `trials` says */
  budgetMs: number
  /** a random source, for a run that can be repeated */
  random?: () => number
  onTrial?: (trial: number, figures: CrashFigures) => void
}

const ADMIN_PASSWORD = 'crash-admin-pass-5813'
const MANAGER = { username: 'crash-mgr', password: 'crash-mgr-pass-2294' }
const UNITS = 4

/** What the harness writes, as the API answered it; checked against the database after each restart. */
interface Ledger {
  clients: Map<number, string>
  followUps: Set<number>
  /** a unit's status after its last acknowledged change; a unit with a change in flight at the kill is left out */
  units: Map<number, string>
  /** every write answered ok, units included */
  acknowledged: number
}

/** A client of the host over plain HTTP (POST /api/<method>), as a browser terminal calls it. */
function httpClient(url: string): ApiClient {
  const transport: Transport = {
    request: async (method, input, token) => {
      const res = await fetch(`${url}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(input),
      })
      return (await res.json()) as Result<unknown>
    },
  }
  return new ApiClient(transport)
}

async function signIn(url: string, username: string, password: string): Promise<ApiClient> {
  const c = httpClient(url)
  await c.call('auth.login', { username, password })
  return c
}

/** First start: the admin makes a manager; the manager makes a project with a few units. The host is left running. */
async function prepare(dataDir: string): Promise<{ host: HostProcess; projectId: number; unitIds: number[] }> {
  const host = await spawnHost({ dataDir, adminPassword: ADMIN_PASSWORD })
  try {
    const admin = await signIn(host.url, 'admin', ADMIN_PASSWORD)
    await admin.call('staff.create', { username: MANAGER.username, name: '断电店长', role: 'manager', password: MANAGER.password })
    const manager = await signIn(host.url, MANAGER.username, MANAGER.password)
    const projectId = (await manager.call('projects.create', { name: '断电测试楼盘' })).id
    const rows = Array.from({ length: UNITS }, (_, i) => ({ building: '1号楼', floor: 1, number: `10${i + 1}`, layout: '2室1厅', area: 88, orientation: '南', listPrice: 3_000_000 }))
    await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
    const board = await manager.call('board.get', { projectId })
    return { host, projectId, unitIds: board.units.map((u) => u.id) }
  } catch (err) {
    await host.cleanup()
    throw err
  }
}

/**
 * Three writers at once through the API (new clients, follow-ups on acknowledged clients, hold and
 * release of units) until the host dies; every write the host answered ok is entered in the ledger.
 */
function writeUntilKilled(manager: ApiClient, trial: number, unitIds: readonly number[], ledger: Ledger, random: () => number): Promise<void> {
  let dead = false
  const known = () => [...ledger.clients.keys()]
  const newClients = async () => {
    for (let n = 0; !dead && n < 9999; n++) {
      const name = `断电客户${trial}-${n}`
      const phone = `139${String(trial % 10_000).padStart(4, '0')}${String(n).padStart(4, '0')}`
      try {
        const c = await manager.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'walk_in' })
        ledger.clients.set(c.id, name)
        ledger.acknowledged++
      } catch {
        dead = true
      }
    }
  }
  const followUps = async () => {
    while (!dead) {
      const ids = known()
      if (ids.length === 0) {
        await new Promise((r) => setTimeout(r, 5))
        continue
      }
      const clientId = ids[Math.floor(random() * ids.length)]!
      try {
        const f = await manager.call('followups.create', { clientId, channel: 'phone', content: `断电测试跟进 ${trial}` })
        ledger.followUps.add(f.id)
        ledger.acknowledged++
      } catch {
        dead = true
      }
    }
  }
  const board = async () => {
    while (!dead) {
      const unitId = unitIds[Math.floor(random() * unitIds.length)]!
      const held = ledger.units.get(unitId) === 'hold'
      // in flight: its outcome is either; the unit is checked again after its next acknowledged change
      ledger.units.delete(unitId)
      try {
        const u = held ? await manager.call('units.release', { unitId, reason: '断电测试释放' }) : await manager.call('units.hold', { unitId, reason: '断电测试控房' })
        ledger.units.set(unitId, u.status)
        ledger.acknowledged++
      } catch {
        dead = true
      }
    }
  }
  return Promise.all([newClients(), followUps(), board()]).then(() => undefined)
}

/** `PRAGMA integrity_check` on a connection of its own beside the running host: 'ok' or the first problem. */
function integrity(dataDir: string): string {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true })
  try {
    db.pragma(`cipher='sqlcipher'`)
    db.pragma('legacy=4')
    db.pragma(`key="x'${resolveHeadlessKey(dataDir, {}).keyHex}'"`)
    return String(db.pragma('integrity_check', { simple: true }))
  } finally {
    db.close()
  }
}

/**
 * Checks the ledger against a restarted host; returns the number of acknowledged writes it lacks
 * and strikes them from the ledger, so a lost write is counted once, not at every later restart.
 */
async function missing(host: HostProcess, manager: ApiClient, projectId: number, ledger: Ledger, problems: string[]): Promise<number> {
  let lost = 0
  const dbFile = path.join(host.dataDir, DB_FILE_NAME)
  const db = new Database(dbFile, { readonly: true })
  try {
    db.pragma(`cipher='sqlcipher'`)
    db.pragma('legacy=4')
    db.pragma(`key="x'${resolveHeadlessKey(host.dataDir, {}).keyHex}'"`)
    const names = new Map((db.prepare('SELECT id, name FROM clients').all() as Array<{ id: number; name: string }>).map((r) => [r.id, r.name]))
    for (const [id, name] of ledger.clients) {
      if (names.get(id) === name) continue
      lost++
      ledger.clients.delete(id)
      problems.push(`client ${id} (${name}) acknowledged, missing after the restart`)
    }
    const followUps = new Set(db.prepare('SELECT id FROM follow_ups').pluck().all() as number[])
    for (const id of ledger.followUps) {
      if (followUps.has(id)) continue
      lost++
      ledger.followUps.delete(id)
      problems.push(`follow-up ${id} acknowledged, missing after the restart`)
    }
  } finally {
    db.close()
  }
  if (ledger.units.size > 0) {
    const units = await manager.call('board.units', { projectId, unitIds: [...ledger.units.keys()] })
    for (const [id, status] of ledger.units) {
      const now = units.units.find((u) => u.id === id)?.status
      if (now === status) continue
      lost++
      ledger.units.delete(id)
      problems.push(`unit ${id} acknowledged as ${status}, ${now ?? 'missing'} after the restart`)
    }
  }
  return lost
}

/** After a kill: integrity_check, audit.verify and every acknowledged write, counted into the figures. */
async function checkRestart(host: HostProcess, manager: ApiClient, projectId: number, ledger: Ledger, trial: number, figures: CrashFigures, onTrial: CrashOptions['onTrial']): Promise<void> {
  const check = integrity(host.dataDir)
  if (check !== 'ok') {
    figures.integrityFailures++
    figures.problems.push(`trial ${trial}: integrity_check: ${check}`)
  }
  const admin = await signIn(host.url, 'admin', ADMIN_PASSWORD)
  const audit = await admin.call('audit.verify', {})
  if (!audit.ok) {
    figures.auditFailures++
    figures.problems.push(`trial ${trial}: audit.verify: ${JSON.stringify(audit)}`)
  }
  figures.lost += await missing(host, manager, projectId, ledger, figures.problems)
  onTrial?.(trial, figures)
}

/**
 * The crash harness of issue #18 item 4: a host process on one data folder is written to through
 * the API and killed with SIGKILL at a random moment, again and again. After each restart every
 * write it acknowledged must be there, `PRAGMA integrity_check` must say ok and the audit chain
 * must verify. Bounded by `trials` and `budgetMs`; only 127.0.0.1.
 */
export async function runCrashTrials(opts: CrashOptions): Promise<CrashFigures> {
  const random = opts.random ?? Math.random
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-crash-'))
  const dataDir = path.join(root, 'data')
  const figures: CrashFigures = { trials: 0, acknowledged: 0, lost: 0, integrityFailures: 0, auditFailures: 0, problems: [] }
  const started = Date.now()
  let host: HostProcess | null = null
  try {
    const prepared = await prepare(dataDir)
    const { projectId, unitIds } = prepared
    host = prepared.host
    const ledger: Ledger = { clients: new Map(), followUps: new Set(), units: new Map(), acknowledged: 0 }
    // each start first checks what the last kill left, then is written to and killed in its turn;
    // the start after the last trial only checks
    for (let trial = 1; ; trial++) {
      const manager: ApiClient = await signIn(host.url, MANAGER.username, MANAGER.password)
      if (trial > 1) await checkRestart(host, manager, projectId, ledger, trial - 1, figures, opts.onTrial)
      if (trial > opts.trials || Date.now() - started >= opts.budgetMs) break
      const acknowledgedBefore = ledger.acknowledged
      const writing = writeUntilKilled(manager, trial, unitIds, ledger, random)
      // the random moment counts from this trial's first acknowledged write: a kill before it tests
      // nothing (on a loaded machine both of the suite's two trials were killed before any answer)
      const waitFrom = Date.now()
      while (ledger.acknowledged === acknowledgedBefore && Date.now() - waitFrom < 20_000) await new Promise((r) => setTimeout(r, 5))
      await new Promise((r) => setTimeout(r, Math.floor(random() * opts.maxKillAfterMs)))
      host.child.kill('SIGKILL')
      await host.exited
      await writing
      figures.trials = trial
      figures.acknowledged = ledger.acknowledged
      host = await spawnHost({ dataDir })
    }
    return figures
  } finally {
    if (host) await host.cleanup()
    fs.rmSync(root, { recursive: true, force: true })
  }
}
