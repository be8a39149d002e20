import type { Kysely } from 'kysely'
import type { ZodError } from 'zod'
import { contract, isMethodName, type MethodName } from '@shared/contract'
import type { Result } from '@shared/contract/common'
import { PERMISSIONS, type Access } from '@shared/domain/permissions'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import { sqliteFault, type StorageFault } from '../db/sqlite-fault'
import type { AuditLog, AuditRecord } from '../domains/audit/audit-log'
import { AuditQueue } from '../domains/audit/audit-queue'
import { findSession, hashToken } from '../domains/auth/sessions.repository'
import type { SignInAudit } from '../domains/auth/sign-in-audit'
import { ApiFailure } from './api-failure'
import { FAST_INPUTS } from './fast-inputs'
import { callHash, IdempotentReplies } from './idempotency'
import { inputShapeFailure } from './input-guard'
import type { HostEvents } from './events'
import type { Handler, HandlerContext, Handlers, PrepareContext, SessionInfo } from './handler'
import { ONE_PROCEDURE, READS_NOTHING, runsOn } from './runs-on'
import { SessionCache, sessionInfoOf } from './session-cache'
import { TRUSTED_OUTPUTS } from './trusted-output'

/** Who is calling, as the transport knows it. */
export interface CallMeta {
  token?: string | undefined
  address?: string | undefined
  /** hears the session a signed-in call carried (before its permission check): a socket learns its user from any call. */
  onSession?: ((session: SessionInfo) => void) | undefined
  /** a signed-in write sent with this key is applied once; a retry with the same key gets the first reply (IdempotentReplies). */
  idempotencyKey?: string | undefined
}

/** The two sides of the database: the one writer and the readers (SqliteWorkerPool). */
export interface DatabaseSides {
  writer: Kysely<DB>
  reader: Kysely<DB>
  /** the writer's changes to staff and sessions so far; given, sessions are kept between calls while it stands (SessionCache). */
  readonly signInGeneration?: number
}

export interface DispatcherDeps {
  db: DatabaseSides
  clock: Clock
  events: HostEvents
  handlers: Handlers
  /** collapses repeated failed sign-ins per address into counted audit rows; without it each is one row. */
  signInAudit?: SignInAudit
  auditLog: AuditLog
  log?: (msg: string, err?: unknown) => void
}

/** One call in progress: who, what, and what it leaves for after its commit. */
interface Call {
  method: MethodName
  input: unknown
  session: SessionInfo | null
  address: string | null
  idempotencyKey: string | null
  /** callHash(method, input) when the call is keyed: the key is tied to it */
  inputHash: string
  /** rows of auditAlways: written with the call, or after its failure. */
  kept: AuditRecord[]
  after: Array<() => void>
}

/** Failures worth a row in the audit log even though nothing was written. */
const AUDITED_FAILURES = new Set(['BAD_CREDENTIALS', 'RATE_LIMITED', 'ACCOUNT_DISABLED', 'FORBIDDEN'])

/**
 * The one way into the host's data: session -> permission -> parse -> handler in one
 * transaction -> audit -> result. Never throws; never leaks a stack trace.
 *
 * A call runs on the side `runsOn` names: a write in one transaction on the writer, as it always
 * did; a read in one read transaction on a reader (one snapshot, beside any write), its audit rows
 * then written on the writer before the caller hears the answer. A write is answered only after
 * its commit, and a read begins after the call that asked it began: the caller's own later reads
 * see its writes.
 */
export class Dispatcher {
  private readonly sessions = new SessionCache()
  private inFlight = 0
  private readonly replies = new IdempotentReplies()
  /** rows of auditAfterAnswer, written after the answers. */
  private readonly afterAnswer: AuditQueue

  constructor(private readonly deps: DispatcherDeps) {
    this.afterAnswer = new AuditQueue({ writer: deps.db.writer, reader: deps.db.reader, auditLog: deps.auditLog, log: deps.log })
  }

  /** Writes the audit rows still waiting after their answers: the host calls it before closing the database. */
  drain(): Promise<void> {
    return this.afterAnswer.drain()
  }

  /** Calls received and not yet answered (the event loop's reader asks whether a caller is alone: LoopReader.othersInFlight). */
  get callsInFlight(): number {
    return this.inFlight
  }

  dispatch(method: string, rawInput: unknown, meta: CallMeta = {}): Promise<Result<unknown>> {
    this.inFlight++
    let now: ReturnType<Dispatcher['answerAtOnce']>
    try {
      now = this.answerAtOnce(method, rawInput, meta)
    } catch {
      // only its checks can throw here (an input whose reading throws); its handler's errors are
      // its own answers: nothing was done yet, and the usual path answers (and refuses) the call
      now = undefined
    }
    if (now !== undefined && !(now instanceof Promise)) {
      this.inFlight--
      return Promise.resolve(now)
    }
    return this.settle(now ?? this.answer(method, rawInput, meta))
  }

  /** The answer of a call that went on asynchronously, counted in flight until it settles. */
  private async settle(answer: Promise<Result<unknown>>): Promise<Result<unknown>> {
    try {
      return await answer
    } finally {
      this.inFlight--
    }
  }

  /**
   * The same call as `answer`, without a promise turn where none is needed: a read that takes no
   * transaction (READS_NOTHING, ONE_PROCEDURE) from a session in memory, with an input its fast
   * parse reads (FAST_INPUTS), whose handler answers at once (clients.search on the event loop's
   * read connection). Such a search is 10-35 µs of SQL; the ten promises, the zod parse and the
   * session's await of the usual path added 40-75% to it (docs/performance.md, "Search's fixed
   * cost"). `undefined` when the call is not such a one, before anything was done: `answer`
   * then does it all. A promise when it turned out to need one (the loop declined the search and
   * a reader answers; audit rows to write before the answer).
   */
  private answerAtOnce(method: string, rawInput: unknown, meta: CallMeta): Result<unknown> | Promise<Result<unknown>> | undefined {
    const fast = FAST_INPUTS.get(method)
    if (fast === undefined || !(READS_NOTHING.has(fast.method) || ONE_PROCEDURE.has(fast.method))) return undefined
    const handler = this.deps.handlers[fast.method] as Handler<MethodName>
    if (typeof handler !== 'function') return undefined
    const access: Access = PERMISSIONS[fast.method]
    let session: SessionInfo | null = null
    if (access !== 'public') {
      const known = this.sessionAtOnce(meta.token)
      if (known === undefined || (access !== 'signed-in' && !access.includes(known.role))) return undefined
      session = known
    }
    const input = fast.parse(rawInput)
    if (input === undefined || runsOn(fast.method, input) !== 'reader') return undefined
    if (session) meta.onSession?.(session)
    const call: Call = { method: fast.method, input, session, address: meta.address ?? null, idempotencyKey: null, inputHash: '', kept: [], after: [] }
    const rows: AuditRecord[] = []
    try {
      const out = handler(input as never, this.readContext(this.deps.db.reader, call, rows))
      const value = out instanceof Promise ? out.then((o) => this.afterRead(call, rows, o)) : this.afterRead(call, rows, out)
      if (value instanceof Promise) return this.answerLater(call, value)
      this.runAfterCommit(call)
      return { ok: true, value }
    } catch (err) {
      return this.failed(err, call.method, input, session, call.address, call.kept)
    }
  }

  /** answerAtOnce's call once it needs a promise turn after all. */
  private async answerLater(call: Call, value: Promise<unknown>): Promise<Result<unknown>> {
    try {
      const v = await value
      this.runAfterCommit(call)
      return { ok: true, value: v }
    } catch (err) {
      return this.failed(err, call.method, call.input, call.session, call.address, call.kept)
    }
  }

  /** The session of a token from memory (SessionCache), when it is there and still good; else `undefined`, and resolveSession reads it. */
  private sessionAtOnce(token: string | undefined): SessionInfo | undefined {
    const generation = this.deps.db.signInGeneration
    const tokenHash = token ? this.sessions.hashOf(token) : undefined
    if (generation === undefined || tokenHash === undefined) return undefined
    const kept = this.sessions.kept(tokenHash, generation)
    // the expiry as a number (toISOString per call cost more than the rest of this); one that fails here is resolveSession's to refuse
    if (!kept?.row.active || kept.row.revokedAt !== null || kept.expiresMs <= this.deps.clock.now().getTime()) return undefined
    return kept.info
  }

  private async answer(method: string, rawInput: unknown, meta: CallMeta): Promise<Result<unknown>> {
    const address = meta.address ?? null
    let session: SessionInfo | null = null
    let parsedInput: unknown = rawInput
    // rows of auditAlways: the handler's transaction writes them, or they are written after its rollback
    const kept: AuditRecord[] = []
    try {
      if (!isMethodName(method)) throw new ApiFailure('UNKNOWN_METHOD', `unknown method: ${method}`)
      const access: Access = PERMISSIONS[method]
      if (access !== 'public') {
        session = await this.resolveSession(meta.token)
        meta.onSession?.(session)
        if (access !== 'signed-in' && !access.includes(session.role)) {
          throw new ApiFailure('FORBIDDEN', `${session.role} may not call ${method}`)
        }
      }
      const badShape = inputShapeFailure(rawInput)
      if (badShape) throw badShape
      const spec = contract[method]
      const parsed = spec.input.safeParse(rawInput ?? {})
      if (!parsed.success) throw validationFailure(parsed.error)
      parsedInput = parsed.data
      const value = await this.run(method, parsed.data, session, address, kept, meta.idempotencyKey ?? null)
      return { ok: true, value }
    } catch (err) {
      return this.failed(err, method, parsedInput, session, address, kept)
    }
  }

  /** A call's failure as its answer, once the rows it leaves whatever the outcome (and a refusal's own row) are written. */
  private async failed(
    err: unknown,
    method: string,
    parsedInput: unknown,
    session: SessionInfo | null,
    address: string | null,
    kept: AuditRecord[],
  ): Promise<Result<unknown>> {
    const failure = this.toFailure(err, method)
    await this.auditKept(kept)
    const signIns = this.deps.signInAudit
    if (signIns && method === 'auth.login' && (failure.code === 'BAD_CREDENTIALS' || failure.code === 'RATE_LIMITED')) {
      await signIns.failed(failure.code, address, usernameOf(parsedInput), parsedInput)
    } else if (AUDITED_FAILURES.has(failure.code)) {
      await this.auditFailure(method, failure, parsedInput, session, address)
    }
    return { ok: false, error: failure.toShape() }
  }

  private async run(
    method: MethodName,
    input: unknown,
    session: SessionInfo | null,
    address: string | null,
    kept: AuditRecord[],
    idempotencyKey: string | null,
  ) {
    const { db, clock, handlers } = this.deps
    const handler = handlers[method] as Handler<MethodName>
    const keyed = idempotencyKey !== null && contract[method].write && session !== null
    const inputHash = keyed ? callHash(method, input) : ''
    if (keyed && idempotencyKey !== null && session) {
      // a repeat is answered before `prepare`, which may act outside the transaction (a restore)
      const earlier = await this.replies.find(db.reader, session.staffId, idempotencyKey, method, inputHash)
      if (earlier) return earlier.reply
    }
    const prepareCtx: PrepareContext = { db: db.reader, session, clock, address }
    const run =
      typeof handler === 'function'
        ? (ctx: HandlerContext) => handler(input as never, ctx)
        : await handler.prepare(input as never, prepareCtx)
    const call: Call = { method, input, session, address, idempotencyKey, inputHash, kept, after: [] }
    const value = runsOn(method, input) === 'writer' ? await this.write(call, run) : await this.read(call, run)
    this.runAfterCommit(call)
    return value
  }

  /** The call's afterCommit hooks, once it is done; one that throws is logged and spoils nothing. */
  private runAfterCommit(call: Call): void {
    for (const fn of call.after) {
      try {
        fn()
      } catch (err) {
        this.deps.log?.(`after-commit hook of ${call.method} failed`, err)
      }
    }
  }

  /** A call on the writer: the handler, its audit rows and the write's own row in one transaction. */
  private async write(call: Call, run: (ctx: HandlerContext) => unknown) {
    const { auditLog } = this.deps
    const { method, input, session, address, kept } = call
    const spec = contract[method]
    // only a signed-in write is keyed: the key belongs to its staff member
    const key = spec.write && session ? call.idempotencyKey : null
    const value = await this.writeAudited(async (trx) => {
      if (key !== null && session) {
        // sent again after a cut: the first one committed, so answer as it did and apply nothing
        const earlier = await this.replies.find(trx, session.staffId, key, method, call.inputHash)
        if (earlier) return earlier.reply
      }
      let target: string | null = null
      const ctx = this.context(trx, call, {
        auditTarget: (t) => {
          target = t
        },
        audit: (action, t, detail) => auditLog.append(trx, this.entry(action, t, detail, session, address)),
      })
      const out = spec.output.parse(await run(ctx))
      for (const e of kept) await auditLog.append(trx, e)
      if (spec.write) await auditLog.append(trx, this.entry(method, target, input, session, address))
      if (key !== null && session) await this.replies.keep(trx, session.staffId, key, method, call.inputHash, out, this.deps.clock.now())
      return out
    })
    kept.length = 0
    await this.anchorAudit()
    return value
  }

  /**
   * A call on a reader, in one read transaction. The audit rows it makes (admin reads, phone
   * lookups, sheets printed) are written on the writer once the read is done, and the caller gets
   * the answer only once they are committed: if they cannot be written, the call fails.
   */
  private async read(call: Call, run: (ctx: HandlerContext) => unknown) {
    const rows: AuditRecord[] = []
    const handle = async (db: Kysely<DB>) => run(this.readContext(db, call, rows))
    // a call that reads nothing takes no reader (READS_NOTHING); one procedure takes its snapshot where it runs (ONE_PROCEDURE)
    const ownSnapshot = READS_NOTHING.has(call.method) || ONE_PROCEDURE.has(call.method)
    const out = ownSnapshot ? await handle(this.deps.db.reader) : await this.deps.db.reader.transaction().execute(handle)
    return this.afterRead(call, rows, out)
  }

  /** What a read's handler sees; its audit rows go into `rows`, written on the writer once the read is done (afterRead). */
  private readContext(db: Kysely<DB>, call: Call, rows: AuditRecord[]): HandlerContext {
    return new ReadContext(db, call, rows, this.deps, this.afterAnswer)
  }

  /**
   * A read's answer from its handler's output: parsed unless trusted, and given once the read's
   * audit rows are committed (a promise then; at once when it left none).
   */
  private afterRead(call: Call, rows: AuditRecord[], out: unknown): unknown {
    // a hot read's answer is the host's own (see TRUSTED_OUTPUTS); every other one is parsed
    const value = TRUSTED_OUTPUTS.has(call.method) ? out : contract[call.method].output.parse(out)
    if (rows.length === 0 && call.kept.length === 0) return value
    // the handler's rows, then those kept whatever the outcome; if this fails, the failure path tries the kept ones again
    const all = [...rows, ...call.kept]
    return this.writeAudited(async (trx) => {
      for (const e of all) await this.deps.auditLog.append(trx, e)
    }).then(async () => {
      call.kept.length = 0
      await this.anchorAudit()
      return value
    })
  }

  /**
   * A writer transaction that writes audit rows: the rows still waiting after earlier answers
   * (auditAfterAnswer) go first in it, so the log keeps the order of the calls; taken before the
   * writer is asked for (first come, first served), and queued again if it does not commit.
   */
  private async writeAudited<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    const earlier = this.afterAnswer.take()
    try {
      return await this.deps.db.writer.transaction().execute(async (trx) => {
        for (const e of earlier) await this.deps.auditLog.append(trx, e)
        return fn(trx)
      })
    } catch (err) {
      this.afterAnswer.putBack(earlier)
      throw err
    }
  }

  /** What a handler sees; `rows` says where its audit rows go (its own transaction, or the writer after a read). */
  private context(db: Kysely<DB>, call: Call, rows: Pick<HandlerContext, 'audit' | 'auditTarget'>): HandlerContext {
    const { clock, events, auditLog } = this.deps
    const { session, address } = call
    return {
      db,
      session,
      clock,
      address,
      events,
      ...rows,
      auditAlways: (action, t, detail) => {
        call.kept.push(this.entry(action, t, detail, session, address))
      },
      auditAfterAnswer: (action, t, detail) => this.afterAnswer.push(this.entry(action, t, detail, session, address)),
      auditLog,
      afterCommit: (fn) => call.after.push(fn),
    }
  }

  private async resolveSession(token: string | undefined): Promise<SessionInfo> {
    if (!token) throw new ApiFailure('UNAUTHENTICATED', 'sign in first')
    const tokenHash = this.sessions.hashOf(token) ?? hashToken(token)
    const row = await this.findSession(tokenHash)
    if (!row) throw new ApiFailure('UNAUTHENTICATED', 'the session has ended; sign in again')
    this.sessions.keepHash(token, tokenHash)
    if (!row.active) throw new ApiFailure('ACCOUNT_DISABLED', 'this account has been deactivated')
    if (row.revokedAt !== null) throw new ApiFailure('UNAUTHENTICATED', 'the session has ended; sign in again')
    if (row.expiresAt <= this.deps.clock.now().toISOString()) {
      throw new ApiFailure('SESSION_EXPIRED', 'the session has expired; sign in again')
    }
    return sessionInfoOf(row)
  }

  /** The session row, from memory while nothing that could change it has been written since it was read. */
  private async findSession(tokenHash: string) {
    const { db } = this.deps
    const generation = db.signInGeneration
    if (generation === undefined) return findSession(db.reader, tokenHash)
    const kept = this.sessions.get(tokenHash, generation)
    if (kept) return kept
    const row = await findSession(db.reader, tokenHash)
    // read while the generation stood from start to end: else a change may have landed in between
    if (row && db.signInGeneration === generation) this.sessions.set(tokenHash, row, generation)
    return row
  }

  /** One audit row; the audit log redacts the detail (secrets, phones, ID numbers, depth). */
  private entry(action: string, target: string | null, detail: unknown, session: SessionInfo | null, address: string | null): AuditRecord {
    return auditEntry(this.deps.clock, action, target, detail, session, address)
  }

  /** Moves the audit anchor after a commit; the write itself stands even if the anchor file cannot be written. */
  private async anchorAudit() {
    try {
      await this.deps.auditLog.afterCommit(this.deps.db.reader)
    } catch (err) {
      this.deps.log?.('could not write the audit anchor', err)
    }
  }

  /** Writes the auditAlways rows of a call that failed (its own transaction was rolled back). */
  private async auditKept(kept: AuditRecord[]) {
    if (kept.length === 0) return
    try {
      await this.writeAudited(async (trx) => {
        for (const e of kept.splice(0)) await this.deps.auditLog.append(trx, e)
      })
    } catch (err) {
      this.deps.log?.('could not audit a failed call', err)
    }
    await this.anchorAudit()
  }

  private async auditFailure(
    method: string,
    failure: ApiFailure,
    input: unknown,
    session: SessionInfo | null,
    address: string | null,
  ) {
    try {
      await this.writeAudited((trx) => this.deps.auditLog.append(trx, this.entry(`${method}:${failure.code}`, null, input, session, address)))
    } catch (err) {
      this.deps.log?.('could not audit a failed call', err)
    }
    await this.anchorAudit()
  }

  private toFailure(err: unknown, method: string): ApiFailure {
    if (err instanceof ApiFailure) return err
    const constraint = constraintFailure(err)
    if (constraint) return constraint
    const fault = sqliteFault(err)
    if (fault) {
      // the operator must hear of a full disk or a failing file; the caller gets its kind only
      this.deps.log?.(`storage fault (${fault}) in ${method}`, err)
      return storageFailure(fault)
    }
    this.deps.log?.(`internal error in ${method}`, err)
    return new ApiFailure('INTERNAL', 'internal error; the change was not saved')
  }
}

/** One audit row of a call (the audit log redacts the detail: secrets, phones, ID numbers, depth). */
function auditEntry(clock: Clock, action: string, target: string | null, detail: unknown, session: SessionInfo | null, address: string | null): AuditRecord {
  return { at: clock.now().toISOString(), actorId: session?.staffId ?? null, actorName: session?.name ?? null, action, target, detail: detail ?? {}, address }
}

/**
 * What a read's handler sees (a read names no audit target, and its audit rows wait in `rows`
 * for the writer). A class rather than an object of closures: a call makes one object, where the
 * closures were seven more (a search answered on the event loop is 0.03-0.1 ms all told).
 */
class ReadContext implements HandlerContext {
  readonly session: SessionInfo | null
  readonly address: string | null
  readonly clock: Clock
  readonly events: HostEvents
  readonly auditLog: AuditLog

  constructor(
    readonly db: Kysely<DB>,
    private readonly call: Call,
    private readonly rows: AuditRecord[],
    deps: DispatcherDeps,
    private readonly afterAnswer: AuditQueue,
  ) {
    this.session = call.session
    this.address = call.address
    this.clock = deps.clock
    this.events = deps.events
    this.auditLog = deps.auditLog
  }

  auditTarget(): void {}

  audit(action: string, target: string | null, detail: Record<string, unknown>): Promise<void> {
    this.rows.push(auditEntry(this.clock, action, target, detail, this.session, this.address))
    return Promise.resolve()
  }

  auditAlways(action: string, target: string | null, detail: Record<string, unknown>): void {
    this.call.kept.push(auditEntry(this.clock, action, target, detail, this.session, this.address))
  }

  auditAfterAnswer(action: string, target: string | null, detail: Record<string, unknown>): void {
    this.afterAnswer.push(auditEntry(this.clock, action, target, detail, this.session, this.address))
  }

  afterCommit(fn: () => void): void {
    this.call.after.push(fn)
  }
}

/** The username a sign-in was tried with, for the collapsed audit row. */
function usernameOf(input: unknown): string {
  const u = input && typeof input === 'object' ? (input as { username?: unknown }).username : undefined
  return typeof u === 'string' ? u : ''
}

/** The first zod issue as a VALIDATION error naming the field, with a reason key the UI translates. */
export function validationFailure(error: ZodError): ApiFailure {
  const issue = error.issues[0]
  if (!issue) return new ApiFailure('VALIDATION', 'invalid input')
  // an unknown key is named as the field at fault (`org.nickname`), so the caller sees which one
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys : []
  const path = [...issue.path, ...unknown.slice(0, 1)]
  const field = path.length > 0 ? path.join('.') : undefined
  const params: Record<string, string | number> = {}
  for (const k of ['minimum', 'maximum', 'format', 'expected'] as const) {
    const v = (issue as unknown as Record<string, unknown>)[k]
    if (typeof v === 'string' || typeof v === 'number') params[k] = v
    else if (typeof v === 'bigint') params[k] = Number(v)
  }
  if (unknown.length > 0) params.keys = unknown.join(', ')
  const message = field ? `${field}: ${issue.message}` : issue.message
  // custom checks (ranges, blacklist reason, text kinds) carry their own reason key and words for it
  const custom = issue.code === 'custom' ? ((issue.params ?? {}) as Record<string, unknown>) : {}
  for (const [k, v] of Object.entries(custom)) if (k !== 'reason' && (typeof v === 'string' || typeof v === 'number')) params[k] = v
  return new ApiFailure('VALIDATION', message, field, typeof custom.reason === 'string' ? custom.reason : issue.code, params)
}

/** SQLite constraint errors become CONFLICT naming the column, e.g. "UNIQUE constraint failed: staff.username". */
function constraintFailure(err: unknown): ApiFailure | null {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') return null
  if (!err.code.startsWith('SQLITE_CONSTRAINT')) return null
  const m = /constraint failed: \w+\.(\w+)/.exec(err.message)
  return new ApiFailure('CONFLICT', 'already exists or conflicts with stored data', m?.[1] ? camel(m[1]) : undefined)
}

function camel(s: string): string {
  return s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())
}

const STORAGE_FAILURES: Record<StorageFault, () => ApiFailure> = {
  busy: () => new ApiFailure('DB_BUSY', 'the database is busy; try again in a moment (nothing was saved)'),
  full: () => new ApiFailure('DISK_FULL', "the host's disk is full; nothing was saved"),
  read_only: () => new ApiFailure('DB_READ_ONLY', 'the host cannot write its database (read-only); nothing was saved'),
  io: () => new ApiFailure('DB_IO', 'the host could not read or write its database file; nothing was saved'),
  not_a_db: () => new ApiFailure('DB_IO', 'the host could not read or write its database file; nothing was saved'),
}

/** SQLite's busy, full, read-only and I/O errors as typed errors a person can act on (never the SQL or the path). */
function storageFailure(fault: StorageFault): ApiFailure {
  return STORAGE_FAILURES[fault]()
}
