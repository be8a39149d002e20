// Builds main, preload, host and renderer with electron-vite when any source is newer than
// the last build, so `npm run host` and `npm test` always run what is in the tree.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const stamp = path.join(root, 'out', '.build-stamp')
const SOURCES = ['electron', 'renderer', 'shared', 'resources', 'electron.vite.config.ts', 'package.json', 'tsconfig.json', 'tsconfig.base.json']

function newest(p) {
  if (!fs.existsSync(p)) return 0
  const st = fs.statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  let max = st.mtimeMs
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules') max = Math.max(max, newest(path.join(p, e)))
  return max
}

export function buildIfStale({ quiet = false } = {}) {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0
  const changed = Math.max(...SOURCES.map((s) => newest(path.join(root, s))))
  if (built >= changed && fs.existsSync(path.join(root, 'out/main/host.js'))) return false
  if (!quiet) console.log('Building Keyuan (electron-vite build)…')
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: quiet ? 'pipe' : ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0) {
    if (quiet) process.stderr.write(r.stderr ?? '')
    throw new Error('the build failed')
  }
  fs.writeFileSync(stamp, new Date().toISOString())
  return true
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfStale()
