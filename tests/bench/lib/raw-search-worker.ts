/**
 * The raw search baseline on a reader thread (clients.bench.ts): a worker with its own connection
 * to the file (the host's key and reader pragmas) runs RawSearch for each message and answers
 * with one message. What a search costs when the architecture of issue #15 (no SQL on the event
 * loop) adds nothing but the one round trip to the thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3-multiple-ciphers'
import { applyHostPragmas, unlockConnection } from '../../../electron/host/db/connection-setup'
import { RawSearch } from './raw-search'
import type { RawSearchAsk, RawSearchReply } from './raw-search-thread'

const port = parentPort
if (!port) throw new Error('raw-search-worker runs as a worker thread')
const { file, keyHex } = workerData as { file: string; keyHex: string }
const sqlite = new Database(file, { fileMustExist: true })
unlockConnection(sqlite, keyHex)
applyHostPragmas(sqlite, 'reader')
const raw = new RawSearch(sqlite)
port.on('message', (m: RawSearchAsk) => {
  port.postMessage({ id: m.id, answer: raw.search(m.q, m.limit, m.viewerId, m.agent) } satisfies RawSearchReply)
})
port.postMessage({ id: 0, answer: null } satisfies RawSearchReply)
