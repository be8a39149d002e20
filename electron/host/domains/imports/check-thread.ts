import { Worker } from 'node:worker_threads'
import type { ApiErrorShape } from '@shared/contract/common'
import { threadScript } from '../../thread-script'
import type { CheckedClientRow, CheckedFollowUpRow, CheckThreadSetup, FromCheckThread, ToCheckThread } from './check-thread-protocol'

/** Rows a message from the thread carries. */
const BATCH_ROWS = 1000
/** Messages the thread may have sent that the host has not taken: the rows held at most are this many batches. */
const CREDITS = 4

/** A workbook the thread could not read to its end (as sheetRows words a wrong file). */
const UNREADABLE: ApiErrorShape = { code: 'VALIDATION', message: 'the file is not a readable Excel workbook (.xlsx)', field: 'fileBase64', reason: 'not_xlsx' }

type Batch = { type: 'clients'; rows: CheckedClientRow[] } | { type: 'followUps'; rows: CheckedFollowUpRow[] }

/** How long a thread kept ahead (started at an upload, or left by a finished check) waits for a check before it is stopped. */
const SPARE_MS = 10 * 60_000

let started = 0

/** Check threads started in this process so far: a finished check's thread takes the next check instead of a new one. */
export function checkThreadsStarted(): number {
  return started
}

/**
 * A thread: out/main/import-check-worker.js when built, else the sources (threadScript). Unreferenced:
 * a thread kept waiting (the spare) never keeps the host running; one at work on a check does while
 * a listener of its messages is attached (Node keeps the port alive then).
 */
function startThread(): Worker {
  started++
  const script = threadScript('import-check-worker', { builtDir: __dirname, sourceDir: __dirname }, 'KEYUAN_IMPORT_WORKER_SCRIPT')
  const worker = new Worker(script.script, { eval: script.eval })
  worker.unref()
  return worker
}

let spare: { worker: Worker; timer: NodeJS.Timeout } | null = null

/**
 * The listeners of the thread's last holder removed (by name: Node's own on the Worker, which ref
 * its port while a 'message' listener is there, stay): with none on 'message' it keeps no process up.
 */
function detach(worker: Worker): void {
  for (const name of ['message', 'error', 'exit']) worker.removeAllListeners(name)
}

/** Keeps `worker` as the spare (one at most: a second is stopped), stopped when unused for SPARE_MS. */
function keepSpare(worker: Worker): void {
  if (spare) {
    void worker.terminate()
    return
  }
  const timer = setTimeout(() => {
    if (spare?.worker !== worker) return
    spare = null
    void worker.terminate()
  }, SPARE_MS).unref()
  worker.on('error', () => undefined)
  worker.on('exit', () => {
    if (spare?.worker === worker) spare = null
  })
  spare = { worker, timer }
}

/**
 * Starts a check thread ahead of a dry run (an upload has begun): it loads its libraries while the
 * file comes, and the dry run takes it. An xlsx (`kind`, from the upload's first bytes) also has it
 * load the workbook reader (most of a second on a busy PC); a CSV never needs that. One at most.
 */
export function startSpareCheckThread(kind: 'xlsx' | 'xls' | 'csv'): void {
  if (!spare) keepSpare(startThread())
  if (kind === 'xlsx') spare?.worker.postMessage({ type: 'warm' } satisfies ToCheckThread)
}

/** The spare thread if it still runs, else a new one. */
function takeThread(): Worker {
  const s = spare
  spare = null
  if (s) {
    clearTimeout(s.timer)
    // the spare's own listeners go: the check's take their place
    detach(s.worker)
  }
  // threadId is -1 once the thread has stopped, even before its exit event
  return s && s.worker.threadId !== -1 ? s.worker : startThread()
}

/**
 * A dry run's file read and its rows checked in a worker thread (import-check-worker.ts), off the
 * event loop: the rows come in file order; `take` hands over those already checked, and the thread
 * reads on only as they are taken (a few batches ahead at most).
 */
export class CheckThread {
  private readonly worker: Worker
  private readonly queue: Batch[] = []
  private waiters: Array<() => void> = []
  private ended = false
  /** the thread sent its end: it read the whole file and waits for another check */
  private finished = false
  private failure: ApiErrorShape | null = null

  constructor(setup: Omit<CheckThreadSetup, 'batchRows' | 'credits'>) {
    // a host that stops mid-check does not wait for it (the check starts again at the next start)
    this.worker = takeThread()
    this.worker.on('message', (m: FromCheckThread) => {
      if (m.type === 'end') this.ended = this.finished = true
      else if (m.type === 'failed') this.failure = m.error
      else this.queue.push(m)
      this.wake()
    })
    this.worker.on('error', (err) => {
      this.failure ??= { code: 'INTERNAL', message: err.message }
      this.wake()
    })
    this.worker.on('exit', (code) => {
      // ended by itself without its end: the workbook's reader stalled on a broken part (import-check-worker.ts)
      if (!this.ended && this.failure === null) this.failure = code === 0 ? UNREADABLE : { code: 'INTERNAL', message: `the check thread stopped (${code})` }
      this.wake()
    })
    this.post({ type: 'start', setup: { ...setup, batchRows: BATCH_ROWS, credits: CREDITS } })
  }

  /** Why the thread stopped before the end of the file, once it has. */
  get failed(): ApiErrorShape | null {
    return this.failure
  }

  /** Whether every row has been read and taken. */
  get done(): boolean {
    return this.ended && this.queue.length === 0
  }

  /** Up to `max` rows checked so far, in file order (whole batches, or part of one; a file's rows are all of one kind). */
  take(max: number): Batch | null {
    const first = this.queue[0]
    if (!first) return null
    const out: Batch = first.type === 'clients' ? { type: 'clients', rows: [] } : { type: 'followUps', rows: [] }
    for (let head = this.queue[0]; head && out.rows.length < max; head = this.queue[0]) {
      const n = max - out.rows.length
      if (out.type === 'clients' && head.type === 'clients') out.rows.push(...head.rows.splice(0, n))
      else if (out.type === 'followUps' && head.type === 'followUps') out.rows.push(...head.rows.splice(0, n))
      else break
      // a batch taken whole: the thread may send another
      if (head.rows.length === 0) {
        this.queue.shift()
        this.post({ type: 'more' })
      }
    }
    return out
  }

  /** Resolves once there are rows to take, or the thread has ended or failed. */
  ready(): Promise<void> {
    if (this.queue.length > 0 || this.ended || this.failure) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /**
   * Ends the check: a thread that read its file to the end waits for the next check as the spare
   * (starting a thread and loading its libraries cost more than the check of a short file); one
   * cancelled or failed is stopped.
   */
  dispose(): void {
    const reusable = this.finished && this.failure === null && this.worker.threadId !== -1
    this.ended = true
    this.wake()
    if (!reusable) {
      void this.worker.terminate()
      return
    }
    detach(this.worker)
    keepSpare(this.worker)
  }

  private post(m: ToCheckThread): void {
    this.worker.postMessage(m)
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }
}
