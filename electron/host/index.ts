import { parseHostArgs, HELP } from './cli-args'
import { DbOpenError } from './db/db-error'
import { DEMO_PASSWORD, DEMO_STAFF } from './demo/demo-staff'
import { FirstAdminPasswordError } from './domains/staff/first-admin'
import { startHost } from './host'
import { TlsSetupError } from './tls/tls-error'

/**
 * Entry of the host service: `npm run host` (headless) and Electron's utilityProcess.
 * Under Electron the parent passes the key in KEYUAN_DB_KEY and waits for a 'ready' message.
 */
async function main() {
  let args
  try {
    args = parseHostArgs(process.argv.slice(2), process.cwd())
  } catch (err) {
    console.error(`keyuan host: ${(err as Error).message}`)
    process.exit(2)
  }
  if (args.help) {
    console.log(HELP)
    return
  }
  const started = Date.now()
  const host = await startHost({
    dataDir: args.data,
    keyFile: args.keyFile,
    port: args.port,
    bind: args.bind,
    tls: args.tls,
    demo: args.demo,
    demoClients: args.demoClients,
    rendererDir: process.env.KEYUAN_RENDERER_DIR || undefined,
    log: (msg, err) => (err === undefined ? console.error(`keyuan host: ${msg}`) : console.error(`keyuan host: ${msg}`, err)),
  })
  // before the ready line: a launcher may stop the host the moment it reads it
  let stopping = false
  const stop = (why: string) => {
    if (stopping) return
    stopping = true
    console.error(`keyuan host: ${why}: stopping (calls in flight finish, then the database is closed)`)
    host.close().then(
      () => {
        console.error('keyuan host: stopped')
        process.exit(0)
      },
      (err: unknown) => {
        console.error('keyuan host: could not stop cleanly', err)
        process.exit(1)
      },
    )
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) return stop(signal)
      console.error(`keyuan host: ${signal} again: exiting now`)
      process.exit(1)
    })
  }
  const lines = [
    `Keyuan host ready in ${Date.now() - started} ms: ${host.url}`,
    `  data:   ${host.dataDir} (schema ${host.schemaVersion}, key from ${host.keySource})`,
    `  API:    ${host.url}/docs/api`,
  ]
  if (host.tls) {
    lines.push(
      `  TLS:    branch certificate code ${host.tls.fingerprint.shortCode} (分店证书核对码; compare it on each PC)`,
      `  LAN:    ${host.tls.lanUrls(host.port!).join('  ')}`,
      `          CA for browsers (分店证书下载): ${host.url}/tls`,
    )
  }
  if (host.firstAdmin) {
    lines.push(
      `  First start: sign in as "${host.firstAdmin.username}" with password "${host.firstAdmin.password}"`,
      '  (shown only this once; change it under 设置 after signing in)',
    )
  }
  if (args.demo) lines.push(`  Demo staff (password "${DEMO_PASSWORD}"): ${DEMO_STAFF.map((s) => `${s.username} (${s.role})`).join(', ')}`)
  console.log(lines.join('\n'))

  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void } }).parentPort
  // the desktop shows the first admin's sign-in in its window (electron/main/window-policy.ts parseHostReady)
  parentPort?.postMessage({ type: 'ready', url: host.url, firstAdmin: host.firstAdmin })

  watchParent(process.env.KEYUAN_STOP_WITH_PARENT, () => stop('the launching process exited'))
}

/** How often the host checks that the process which launched it is still there. */
const PARENT_CHECK_MS = 500

/**
 * `npm run host` runs the host through `sh -c`, and sh dies of a SIGTERM without passing it on;
 * scripts/host.mjs therefore names the pid it was started by, and the host stops (the same
 * graceful way as on a signal) once that process is gone and it has been re-parented.
 */
function watchParent(parentPid: string | undefined, onGone: () => void): void {
  if (!parentPid) return
  const check = () => {
    if (String(process.ppid) === parentPid) return
    clearInterval(timer)
    onGone()
  }
  const timer = setInterval(check, PARENT_CHECK_MS)
  timer.unref()
  check()
}

main().catch((err: unknown) => {
  if (err instanceof DbOpenError) console.error(`keyuan host: ${err.reason}: ${err.message}`)
  else if (err instanceof FirstAdminPasswordError) console.error(`keyuan host: ${err.message}`)
  else if (err instanceof TlsSetupError) console.error(`keyuan host: ${err.fault}: ${err.message}`)
  else if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') console.error(`keyuan host: the port is already in use (try --port)`)
  else console.error('keyuan host: failed to start', err)
  process.exit(1)
})
