import fs from 'node:fs'
import path from 'node:path'
import type { ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
}

/**
 * Serves the built renderer; unknown paths get index.html (client-side routes). `rel` is the
 * request path already percent-decoded by the request guard.
 */
export function serveStatic(rootDir: string, rel: string, res: ServerResponse): void {
  const resolved = path.resolve(rootDir, `.${rel}`)
  // never leave the renderer folder
  const inside = resolved === rootDir || resolved.startsWith(rootDir + path.sep)
  const file = inside && fs.existsSync(resolved) && fs.statSync(resolved).isFile() ? resolved : path.join(rootDir, 'index.html')
  if (!fs.existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('The renderer is not built. Run `npm run build` (npm run host does it for you).')
    return
  }
  const ext = path.extname(file)
  const immutable = rel.startsWith('/assets/')
  res.writeHead(200, {
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  // a file removed or unreadable mid-send ends this response only
  pipeline(fs.createReadStream(file), res, () => undefined)
}
