// `npm run host -- [--data dir] [--port n] [--demo]`: build if needed, then run the headless
// host in this very process, so a signal to this process (Ctrl-C, a service manager's SIGTERM)
// reaches the host itself and no child is left behind.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildIfStale } from './build-if-stale.mjs'

const root = path.resolve(import.meta.dirname, '..')
const hostJs = path.join(root, 'out/main/host.js')
const args = process.argv.slice(2)
const help = args.includes('--help') || args.includes('-h')
// npm starts this script through `sh -c`, and npm's SIGTERM kills that sh without reaching us:
// under npm the host watches that sh and stops when it is gone (watchParent in electron/host/index.ts).
// Run directly (`node scripts/host.mjs`, nohup, a service) the signals reach us and nothing is watched.
if (process.env.npm_lifecycle_event) process.env.KEYUAN_STOP_WITH_PARENT = String(process.ppid)
if (!help || !fs.existsSync(hostJs)) {
  try {
    buildIfStale()
  } catch (err) {
    console.error(`keyuan host: ${err.message}`)
    process.exit(1)
  }
}
// the host reads its flags from process.argv.slice(2): the same as this script's
await import(pathToFileURL(hostJs).href)
