import { parseHostArgs, HELP } from './cli-args'
import { DbOpenError } from './db/db-error'
import { DEMO_PASSWORD, DEMO_STAFF } from './demo/demo-staff'
import { startHost } from './host'

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
    demo: args.demo,
    demoClients: args.demoClients,
    log: (msg, err) => console.error(`keyuan host: ${msg}`, err ?? ''),
  })
  const lines = [
    `Keyuan host ready in ${Date.now() - started} ms: ${host.url}`,
    `  data:   ${host.dataDir} (schema ${host.schemaVersion}, key from ${host.keySource})`,
    `  API:    ${host.url}/docs/api`,
  ]
  if (host.firstAdmin) {
    lines.push(
      `  First start: sign in as "${host.firstAdmin.username}" with password "${host.firstAdmin.password}"`,
      '  (shown only this once; change it under 设置 after signing in)',
    )
  }
  if (args.demo) lines.push(`  Demo staff (password "${DEMO_PASSWORD}"): ${DEMO_STAFF.map((s) => `${s.username} (${s.role})`).join(', ')}`)
  console.log(lines.join('\n'))

  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void } }).parentPort
  parentPort?.postMessage({ type: 'ready', url: host.url })

  const stop = async () => {
    await host.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  if (err instanceof DbOpenError) console.error(`keyuan host: ${err.reason}: ${err.message}`)
  else if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') console.error(`keyuan host: the port is already in use (try --port)`)
  else console.error('keyuan host: failed to start', err)
  process.exit(1)
})
