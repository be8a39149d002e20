import fs from 'node:fs'
import type { ServerResponse } from 'node:http'
import { sendError } from './http-api'

/** A file the host hands out once, by an unguessable token (an export's workbook). */
export interface DownloadFile {
  file: string
  fileName: string
  contentType: string
}

/** Where `GET /files/<token>` finds its file: each token is taken once, then forgotten. */
export interface Downloads {
  /** The file behind a token, which no longer works after this; null for an unknown, used or expired token. */
  take(token: string): DownloadFile | null
  /** The file has been sent (or the sending failed): it may go. */
  sent(file: DownloadFile): void
}

// a token is base64url of 24 random bytes: anything else is not worth a lookup
const TOKEN = /^[A-Za-z0-9_-]{32}$/

/**
 * `GET /files/<token>`: streams the file once, as an attachment, never cached. The answer to a
 * token that is not (or no longer) valid says nothing about which tokens exist.
 */
export function serveDownload(downloads: Downloads | undefined, token: string, res: ServerResponse): void {
  const hit = downloads && TOKEN.test(token) ? downloads.take(token) : null
  if (!hit) return sendError(res, 404, { code: 'NOT_FOUND', message: 'no such download (each link works once, for a few minutes)' })
  const stream = fs.createReadStream(hit.file)
  let done = false
  const finish = () => {
    if (done) return
    done = true
    downloads?.sent(hit)
  }
  stream.on('error', () => {
    finish()
    if (!res.headersSent) sendError(res, 404, { code: 'NOT_FOUND', message: 'the file is gone' })
    else res.destroy()
  })
  stream.on('open', () => {
    res.writeHead(200, {
      'content-type': hit.contentType,
      'cache-control': 'no-store',
      // RFC 6266: an ASCII fallback, and the real (Chinese) name encoded
      'content-disposition': `attachment; filename="${hit.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(hit.fileName)}`,
    })
    stream.pipe(res)
  })
  res.once('close', finish)
}
