import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'

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

/** Serves the built renderer; unknown paths get index.html (client-side routes). */
export function serveStatic(rootDir: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const rel = decodeURIComponent(url.pathname)
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
  fs.createReadStream(file).pipe(res)
}
