import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { apiDocsMarkdown } from '../../electron/host/api/api-docs'
import { METHOD_NAMES } from '@shared/contract'

describe('API reference', () => {
  it('docs/api.md is up to date with the contract (run `npm run docs:api`)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../docs/api.md'), 'utf8')
    expect(committed).toBe(apiDocsMarkdown())
  })
  it('lists every method', () => {
    const md = apiDocsMarkdown()
    for (const m of METHOD_NAMES) expect(md).toContain(`## \`${m}\``)
  })
})
