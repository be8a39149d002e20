import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { openDatabase } from '../../electron/host/db/open'
import { spawnHost, type HostProcess } from '../helpers/host-process'
import { processGone as gone, statFields } from '../helpers/proc-stat'

// `npm run host` and its wrapper script, stopped the ways a service manager and Ctrl-C stop
// them: the host finishes the write in flight, closes, checkpoints and leaves no process behind.
const ADMIN = 'admin-stop-pass-6170'
const spawned: HostProcess[] = []
afterEach(async () => {
  for (const h of spawned.splice(0)) await h.cleanup()
})

async function start(command: readonly string[]) {
  const h = await spawnHost({ command, adminPassword: ADMIN, startTimeoutMs: 180_000 })
  spawned.push(h)
  return h
}

/** The pid and every descendant of it (Linux /proc). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(statFields(stat)[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []))
  return tree
}

function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', () => resolve(true))
  })
}

async function signIn(h: HostProcess): Promise<string> {
  const r = await fetch(`${h.url}/api/auth.login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: ADMIN }) })
  return ((await r.json()) as { value: { token: string } }).value.token
}

/**
 * A `staff.create` whose headers the host has taken (it answered 100 Continue) and whose body
 * waits for `sendBody`: a request in flight for as long as the test wants.
 */
async function writeInFlight(h: HostProcess, token: string, username: string) {
  const body = JSON.stringify({ username, name: '在途', role: 'agent', password: 'a-long-pass-8421' })
  const socket = net.connect(h.port, '127.0.0.1')
  socket.on('error', () => undefined)
  let received = ''
  const watchers = new Set<() => void>()
  socket.on('data', (d: Buffer) => {
    received += d.toString()
    for (const w of watchers) w()
  })
  let ended = false
  socket.on('close', () => {
    ended = true
    for (const w of watchers) w()
  })
  const seen = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(received)
        if (m) resolve(m)
        else if (ended) reject(new Error(`the host closed the connection without ${pattern}; it sent ${JSON.stringify(received)}`))
      }
      watchers.add(check)
      check()
    })
  socket.write(
    `POST /api/staff.create HTTP/1.1\r\nhost: 127.0.0.1:${h.port}\r\nauthorization: Bearer ${token}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\n\r\n`,
  )
  await seen(/100 Continue/)
  return {
    async sendBody() {
      socket.write(body)
      // the final status line after the interim 100
      return Number((await seen(/HTTP\/1\.1 ([2-5]\d\d)/))[1])
    },
    destroy: () => socket.destroy(),
  }
}

function staffNamed(dataDir: string, username: string): number {
  const key = resolveHeadlessKey(dataDir, {})
  const db = openDatabase(path.join(dataDir, DB_FILE_NAME), key.keyHex)
  try {
    return db.sqlite.prepare('SELECT count(*) FROM staff WHERE username = ?').pluck().get(username) as number
  } finally {
    void db.close()
  }
}

describe.skipIf(process.platform !== 'linux')('stopping the headless host', () => {
  it('npm run host, sent SIGTERM: the write in flight commits, then the port closes and every process is gone', async () => {
    const h = await start(['npm', 'run', '--silent', 'host', '--'])
    const tree = processTree(h.child.pid!)
    // npm, the sh it runs scripts with, and node running the wrapper with the host inside it: no further child
    expect(tree.length).toBe(3)
    const write = await writeInFlight(h, await signIn(h), 'stopped-by-npm')
    process.kill(h.child.pid!, 'SIGTERM')
    await h.waitForStderr(/stopping \(calls in flight finish/)
    expect(await write.sendBody()).toBe(200)
    write.destroy()
    await h.waitForStderr(/keyuan host: stopped/)
    await expect.poll(() => tree.every(gone), { timeout: 30_000 }).toBe(true)
    expect(await portClosed(h.port)).toBe(true)
    // the WAL was folded into the database file
    const wal = path.join(h.dataDir, `${DB_FILE_NAME}-wal`)
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0)
    expect(staffNamed(h.dataDir, 'stopped-by-npm')).toBe(1)
  })

  it('the wrapper script, sent SIGINT (Ctrl-C), exits 0 with the host inside it', async () => {
    const h = await start([process.execPath, 'scripts/host.mjs'])
    expect(processTree(h.child.pid!)).toEqual([h.child.pid])
    h.child.kill('SIGINT')
    expect(await h.exited, h.stderr()).toBe(0)
    expect(h.stderr()).toMatch(/SIGINT: stopping[\s\S]*stopped/)
    expect(await portClosed(h.port)).toBe(true)
  })

  it('a second signal exits at once, even with a call in flight', async () => {
    const h = await start([process.execPath, 'scripts/host.mjs'])
    const write = await writeInFlight(h, await signIn(h), 'never-sent')
    h.child.kill('SIGTERM')
    await h.waitForStderr(/SIGTERM: stopping/)
    h.child.kill('SIGTERM')
    expect(await h.exited).toBe(1)
    expect(h.stderr()).toMatch(/SIGTERM again: exiting now/)
    write.destroy()
  })
})
