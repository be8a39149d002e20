import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RawSearch, RawSearchAnswer } from './raw-search'

/**
 * The raw search served over loopback HTTP the plainest way: a node:http server in the bench's
 * process, POST with a JSON body, the answer as JSON. The baseline of clients.search over HTTP
 * (the same transport, the same client, the same JSON both ways), as the in-process raw search is
 * the baseline of the in-process call.
 */
export class RawSearchHttp {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(raw: RawSearch, viewerId: number): Promise<RawSearchHttp> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const { q, limit } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { q: string; limit: number }
        const body = JSON.stringify({ ok: true, value: raw.search(q, limit, viewerId) })
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
        res.end(body)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return new RawSearchHttp(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  }

  /** One search, as the bench's HTTP caller makes a call (fetch, keep-alive). */
  async search(q: string, limit: number): Promise<RawSearchAnswer> {
    const res = await fetch(`${this.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q, limit }) })
    return ((await res.json()) as { value: RawSearchAnswer }).value
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
