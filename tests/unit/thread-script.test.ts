import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { threadScript } from '../../electron/host/thread-script'

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'threads')

describe('a worker thread started from the sources', () => {
  // the host run from its sources (node --import tsx electron/host/index.ts, as the terminals bench
  // runs it) answered every thread procedure INTERNAL: the thread's dynamic import() of a TypeScript
  // path went to Node's own resolver
  it('loads what its entry imports lazily, as the built thread does', async () => {
    const noBuild = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-no-build-'))
    try {
      const script = threadScript('lazy-thread', { builtDir: noBuild, sourceDir: FIXTURES }, 'KEYUAN_NO_SUCH_BUNDLE', {})
      expect(script.eval).toBe(true)
      const worker = new Worker(script.script, { eval: true })
      const answer = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
      })
      await worker.terminate()
      expect(answer).toEqual({ ok: true, answer: 'loaded from the sources' })
    } finally {
      fs.rmSync(noBuild, { recursive: true, force: true })
    }
  })
})
