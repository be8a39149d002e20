import { spawn, type ChildProcess } from 'node:child_process'
import readline from 'node:readline'
import { REPO_ROOT } from './host-process'

// A line-per-message channel between a test and a helper process it spawned: the test sends
// `{id, cmd, args}` on the child's stdin, the child answers `{id, ok, value | error}` on stdout
// (its first line is `{ready}`). Used by the multi-process LAN test (lan-processes.test.ts).

type Handlers = Record<string, (args: Record<string, unknown>) => Promise<unknown>>

/** In the child: answers the commands read on stdin with `handlers`, after printing `{ready}`; `onEnd` runs when stdin closes. */
export function serveCommands(ready: unknown, handlers: Handlers, onEnd: () => Promise<void> = async () => {}): void {
  const write = (msg: unknown) => process.stdout.write(`${JSON.stringify(msg)}\n`)
  write({ ready })
  const lines = readline.createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const { id, cmd, args } = JSON.parse(line) as { id: number; cmd: string; args: Record<string, unknown> }
    const run = handlers[cmd]
    if (!run) return write({ id, ok: false, error: `unknown command ${cmd}` })
    run(args).then(
      (value) => write({ id, ok: true, value: value ?? null }),
      (err: unknown) => write({ id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
    )
  })
  // the test ended (or died): so does the child
  lines.on('close', () => void onEnd().finally(() => process.exit(0)))
}

export interface ChildChannel<R> {
  child: ChildProcess
  ready: Promise<R>
  /** runs one command in the child; rejects with the child's error text. */
  send<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>
  /** everything the child wrote on stderr */
  stderr(): string
  /** ends the child (its stdin closes; SIGKILL if it is still there after `graceMs`). */
  stop(graceMs?: number): Promise<void>
}

/** In the test: spawns `node --import tsx <script>` and speaks the channel with it. */
export function spawnChild<R>(script: string, env: NodeJS.ProcessEnv = {}): ChildChannel<R> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let readyResolve!: (r: R) => void
  let readyReject!: (e: Error) => void
  const ready = new Promise<R>((resolve, reject) => {
    readyResolve = resolve
    readyReject = reject
  })
  void exited.then(() => {
    const gone = new Error(`${script} exited\n${err}`)
    readyReject(gone)
    for (const w of waiting.values()) w.reject(gone)
    waiting.clear()
  })
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    let msg: { ready?: R; id?: number; ok?: boolean; value?: unknown; error?: string }
    try {
      msg = JSON.parse(line) as typeof msg
    } catch {
      return // a stray log line
    }
    if (msg.ready !== undefined) return readyResolve(msg.ready)
    const w = msg.id === undefined ? undefined : waiting.get(msg.id)
    if (!w) return
    waiting.delete(msg.id!)
    if (msg.ok) w.resolve(msg.value)
    else w.reject(new Error(msg.error))
  })
  let nextId = 1
  return {
    child,
    ready,
    send<T>(cmd: string, args: Record<string, unknown> = {}) {
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
        child.stdin!.write(`${JSON.stringify({ id, cmd, args })}\n`)
      })
    },
    stderr: () => err,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.stdin!.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}
