import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { RawSearchAnswer } from './raw-search'

/** One search asked of the baseline's thread. */
export interface RawSearchAsk {
  id: number
  q: string
  limit: number
  viewerId: number
  agent: boolean
}

/** Its answer (id 0, answer null: the thread's connection is open). */
export interface RawSearchReply {
  id: number
  answer: RawSearchAnswer | null
}

/** The raw search on its own reader thread (raw-search-worker.ts): one message there, one back. */
export class RawSearchThread {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (a: RawSearchAnswer) => void; reject: (err: Error) => void }>()

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: RawSearchReply) => {
      const done = this.waiting.get(r.id)
      this.waiting.delete(r.id)
      if (done && r.answer) done.resolve(r.answer)
    })
    // a thread that fails fails what it was asked: the bench stops instead of waiting
    worker.on('error', (err) => {
      for (const w of this.waiting.values()) w.reject(err)
      this.waiting.clear()
    })
  }

  /** Starts the thread on the database file; resolves once its connection is open. */
  static open(file: string, keyHex: string): Promise<RawSearchThread> {
    // from the sources, as the host's own workers (db/worker-pool.ts workerScript): tsx registered in the thread
    const tsx = createRequire(__filename).resolve('tsx/cjs/api')
    const source = path.join(__dirname, 'raw-search-worker.ts')
    const worker = new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`, { eval: true, workerData: { file, keyHex } })
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(new RawSearchThread(worker)))
      worker.once('error', reject)
    })
  }

  search(q: string, limit: number, viewerId: number, agent = false): Promise<RawSearchAnswer> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage({ id, q, limit, viewerId, agent } satisfies RawSearchAsk)
    })
  }

  close(): Promise<number> {
    return this.worker.terminate()
  }
}
