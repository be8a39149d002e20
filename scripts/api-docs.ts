// Writes docs/api.md from the contract (the running host serves the same at /docs/api).
import fs from 'node:fs'
import path from 'node:path'
import { apiDocsMarkdown } from '../electron/host/api/api-docs'

const out = path.resolve(__dirname, '../docs/api.md')
fs.writeFileSync(out, apiDocsMarkdown())
console.log(`wrote ${out}`)
