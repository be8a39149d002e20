import fs from 'node:fs'
import { z } from 'zod'
import { pendingKeyPath, writeDurably } from './rekey'

/**
 * Whoever keeps the database key between starts: the headless host's key file, or the desktop's
 * key owner (Electron main, which keeps it wrapped by the OS key store or in a key file the user
 * chose). A rekey (db/rekey.ts) has it keep the new key as *pending* before the file switches, so a
 * crash at any step leaves both keys kept, and the next start tries the file with each.
 */
export interface KeyKeeper {
  /** keeps `keyHex` durably beside the current key, as the pending one; throws KeyKeeperRefused when it cannot */
  stage(keyHex: string): Promise<void>
  /** the pending key replaces the current one (the file now opens only with it) */
  commit(): Promise<void>
  /** the pending key is forgotten (the file kept the current one) */
  drop(): Promise<void>
}

/** The keeper could not keep the new key (no key store, a store that failed): the rekey changes nothing. */
export class KeyKeeperRefused extends Error {
  override name = 'KeyKeeperRefused'
}

/** The headless host's keeper: `<key file>.next`, renamed over the key file on commit. */
export function keyFileKeeper(keyFile: string): KeyKeeper {
  const pending = pendingKeyPath(keyFile)
  return {
    stage: async (keyHex) => writeDurably(pending, `${keyHex}\n`),
    commit: async () => fs.renameSync(pending, keyFile),
    drop: async () => fs.rmSync(pending, { force: true }),
  }
}

/** A message the host sends its key owner (Electron main) over the channel it was started with. */
export const KeyRequest = z.discriminatedUnion('op', [
  z.object({ type: z.literal('db-key'), id: z.number().int().nonnegative(), op: z.literal('stage'), keyHex: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ type: z.literal('db-key'), id: z.number().int().nonnegative(), op: z.literal('commit') }),
  z.object({ type: z.literal('db-key'), id: z.number().int().nonnegative(), op: z.literal('drop') }),
])
export type KeyRequest = z.infer<typeof KeyRequest>

/** The key owner's answer to one KeyRequest. */
export const KeyReply = z.object({ type: z.literal('db-key-done'), id: z.number().int().nonnegative(), ok: z.boolean(), why: z.string().max(500).optional() })
export type KeyReply = z.infer<typeof KeyReply>

/** The message channel to the process that started the host (Electron's parentPort, or Node's IPC in tests). */
export interface ParentChannel {
  post(message: unknown): void
  onMessage(fn: (message: unknown) => void): void
}

/** The env a key owner starts the host with: it answers KeyRequests (KEYUAN_KEY_KEEPER=parent); a pending key a rekey left is KEYUAN_DB_KEY_NEXT. */
export const KEY_KEEPER_ENV = 'KEYUAN_KEY_KEEPER'
export const NEXT_KEY_ENV = 'KEYUAN_DB_KEY_NEXT'

// long enough for a key store that asks the user (macOS keychain prompt), short enough that a dead owner is noticed
const OWNER_ANSWER_MS = 60_000

/** The desktop host's keeper: asks the key owner over `channel` and waits for its answer. */
export function parentKeyKeeper(channel: ParentChannel, answerMs = OWNER_ANSWER_MS): KeyKeeper {
  let nextId = 1
  const waiting = new Map<number, (reply: KeyReply) => void>()
  channel.onMessage((m) => {
    const reply = KeyReply.safeParse(m)
    if (reply.success) waiting.get(reply.data.id)?.(reply.data)
  })
  const ask = (request: { op: 'stage'; keyHex: string } | { op: 'commit' } | { op: 'drop' }) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        waiting.delete(id)
        reject(new KeyKeeperRefused(`the key owner did not answer the ${request.op} of the database key`))
      }, answerMs)
      waiting.set(id, (reply) => {
        clearTimeout(timer)
        waiting.delete(id)
        if (reply.ok) resolve()
        else reject(new KeyKeeperRefused(reply.why ?? `the key owner refused the ${request.op} of the database key`))
      })
      channel.post({ type: 'db-key', id, ...request })
    })
  return {
    stage: (keyHex) => ask({ op: 'stage', keyHex }),
    commit: () => ask({ op: 'commit' }),
    drop: () => ask({ op: 'drop' }),
  }
}

/**
 * The channel to the launching process: Electron's utilityProcess parentPort, else Node's IPC
 * channel (a test that spawns the host with an 'ipc' stdio); null when started from a shell.
 */
export function parentChannel(): ParentChannel | null {
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', fn: (e: { data: unknown }) => void): void } }).parentPort
  if (electronPort) return { post: (m) => electronPort.postMessage(m), onMessage: (fn) => electronPort.on('message', (e) => fn(e.data)) }
  const send = process.send?.bind(process)
  if (send) return { post: (m) => void send(m), onMessage: (fn) => void process.on('message', fn) }
  return null
}
