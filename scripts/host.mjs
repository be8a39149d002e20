// `npm run host -- [--data dir] [--port n] [--demo]`: build if needed, then run the headless host.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { buildIfStale } from './build-if-stale.mjs'

const root = path.resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
if (!args.includes('--help') && !args.includes('-h')) {
  try {
    buildIfStale()
  } catch (err) {
    console.error(`keyuan host: ${err.message}`)
    process.exit(1)
  }
}
const child = spawn(process.execPath, [path.join(root, 'out/main/host.js'), ...args], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
