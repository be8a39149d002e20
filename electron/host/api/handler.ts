import type { Kysely } from 'kysely'
import type { MethodName, MethodPrefix, MethodsOf, OutputOf, ParsedInputOf } from '@shared/contract'
import type { Role } from '@shared/domain/roles'
import type { Clock } from '../clock'
import type { LoopProcedures } from '../db/procedures'
import type { DB } from '../db/schema'
import type { AuditLog } from '../domains/audit/audit-log'
import type { AuthOptions } from '../domains/auth/auth.service'
import type { BackupService } from '../domains/backup/backup-service'
import type { Rekeyed } from '../domains/backup/key-rotation'
import type { HealthMonitor } from '../domains/health/health-monitor'
import type { PhoneLookupLimiter } from '../domains/clients/phone-lookups'
import type { BoardCache } from '../domains/board/board-cache'
import type { ExportFiles } from '../domains/export/export-files'
import type { StandbyFeed } from '../standby/standby-feed'
import type { DeviceRegistry } from '../pairing/device-registry'
import type { PairingWindow } from '../pairing/pairing-window'
import type { TlsStatus } from '../tls/branch-tls'
import type { HostEvents } from './events'

/** The signed-in staff member behind a call. */
export interface SessionInfo {
  tokenHash: string
  staffId: number
  username: string
  name: string
  role: Role
  team: string | null
  expiresAt: string
}

/** What a handler may use outside the transaction: for slow work such as password hashing. */
export interface PrepareContext {
  db: Kysely<DB>
  session: SessionInfo | null
  clock: Clock
  address: string | null
}

/** What a handler may use inside its transaction. */
export interface HandlerContext extends PrepareContext {
  events: HostEvents
  /** names the object of the automatic audit row of a write (e.g. `staff:12`). */
  auditTarget(target: string): void
  /** appends an extra audit row in this transaction (logins, reveals, exports); the detail is redacted like inputs. */
  audit(action: string, target: string | null, detail: Record<string, unknown>): Promise<void>
  /** the log itself: verify, number search, rows written for the system (the rules engine). */
  auditLog: AuditLog
  /**
   * an audit row that is kept even when the call then fails: a phone lookup answered with a
   * DUPLICATE refusal still happened. Written with the call's transaction, or after its rollback.
   */
  auditAlways(action: string, target: string | null, detail: Record<string, unknown>): void
  /**
   * an audit row the answer need not wait for (a search's phone lookups): kept whatever the
   * call's outcome, written in a batch right after the answer (AuditQueue); a failure is logged.
   */
  auditAfterAnswer(action: string, target: string | null, detail: Record<string, unknown>): void
  /** runs once the transaction has committed (push events, close sockets). */
  afterCommit(fn: () => void): void
}

type Run<M extends MethodName> = (ctx: HandlerContext) => Promise<OutputOf<M>>

/**
 * A handler is either one transactional function, or a two-phase one whose `prepare` runs
 * outside the transaction (so a 80 ms scrypt never holds the database) and returns the
 * transactional part. The function may give its answer itself rather than a promise of it, when
 * it has it at once (clients.search run on the event loop's read connection): the dispatcher then
 * answers without a promise turn (Dispatcher.answerAtOnce).
 */
export type Handler<M extends MethodName> =
  | ((input: ParsedInputOf<M>, ctx: HandlerContext) => OutputOf<M> | Promise<OutputOf<M>>)
  | { prepare: (input: ParsedInputOf<M>, ctx: PrepareContext) => Promise<Run<M>> }

/** One handler per method; a missing one is a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> }

/** Handlers of one domain. */
export type DomainHandlers<K extends MethodName> = { [M in K]: Handler<M> }

/** What the handlers of a few domains share with the host: the sign-in guard and the count of phone lookups. */
export interface HandlerDeps {
  auth: AuthOptions
  phoneLookups: PhoneLookupLimiter
  /** the host's TLS as an admin sees it; null when it serves loopback in plain HTTP. */
  tls: () => TlsStatus | null
  /** the host's backups (null where a test builds handlers without a host). */
  backups: BackupService | null
  /** the files of exports and their one-time downloads (null where a test builds handlers without a host). */
  exports: ExportFiles | null
  /** the host's health monitor (null where a test builds handlers without a host). */
  health: HealthMonitor | null
  /** the pairing code and the paired devices' gate (null when the host serves loopback only). */
  devices: { window: PairingWindow; registry: DeviceRegistry; standby?: StandbyFeed } | null
  /** changes the database key and the recovery key (null where a test builds handlers without a host). */
  rekey: (() => Promise<Rekeyed>) | null
  /** the event loop's read connection for clients.search (null where a test builds handlers without a host: the readers answer). */
  loop: LoopProcedures | null
  /** the boards last read, kept until the writer changes what they show (null where a test builds handlers without a host: every read reads). */
  board: BoardCache | null
}

/** The handlers of every method `<prefix>.*`. */
export type HandlersOf<P extends MethodPrefix> = DomainHandlers<MethodsOf<P>>

/** A domain's handlers made from the host's shared parts. */
export type HandlersFactory<P extends MethodPrefix> = (deps: HandlerDeps) => HandlersOf<P>

/** What `domains/<prefix>/<prefix>.service.ts` exports as `<prefix>Handlers`: its handlers, or a function making them. */
export type DomainModule<P extends MethodPrefix> = HandlersOf<P> | HandlersFactory<P>
