import { z } from 'zod'
import { contract, METHOD_NAMES } from '@shared/contract'
import { ErrorCode } from '@shared/contract/common'
import { PERMISSIONS } from '@shared/domain/permissions'

function schemaText(s: z.ZodType, io: 'input' | 'output'): string {
  try {
    return JSON.stringify(z.toJSONSchema(s, { io, unrepresentable: 'any' }), null, 2)
  } catch {
    return '(not representable)'
  }
}

/** The API reference as Markdown, generated from the contract table and the permission table. */
export function apiDocsMarkdown(): string {
  const lines: string[] = [
    '# Keyuan host API',
    '',
    'Generated from `shared/contract/` by `npm run docs:api`; the running host serves the same page at `/docs/api`.',
    '',
    'Every method is reachable over the WebSocket (`/ws`, frames `{id, method, input, token, key?}`) and as',
    '`POST /api/<method>` with a JSON body and `Authorization: Bearer <token>` from `POST /api/auth.login`.',
    'Answers are `{"ok":true,"value":…}` or `{"ok":false,"error":{"code","message","field?"}}`.',
    '',
    'A write sent with an idempotency key (`key` on the WebSocket, the `Idempotency-Key` header over HTTP,',
    '1 to 64 characters) is applied once: sent again with the same key and input within a day, it gets the',
    'first reply; the same key with another method or input is refused (`CONFLICT`, reason `idempotency_key_reused`).',
    'Calls are limited per session (`RATE_LIMITED`, reason `calls`, with the seconds to wait).',
    'The WebSocket opens with `{type:"hello", epoch, seq}`; pushed events carry `seq`. A socket that replaces',
    'a lost one sends `{id, resume:{epoch, after}, token}` first: it is identified with the token, hears the',
    'events after `after` it may see, then `{refetch}` (true: they are no longer kept, fetch the views again).',
    '',
    `Error codes: ${ErrorCode.options.map((c) => `\`${c}\``).join(', ')}.`,
    '',
  ]
  for (const name of METHOD_NAMES) {
    const spec = contract[name]
    const access = PERMISSIONS[name]
    lines.push(
      `## \`${name}\``,
      '',
      spec.summary,
      '',
      `- access: ${typeof access === 'string' ? access : access.join(', ')}`,
      `- writes data (audited): ${spec.write ? 'yes' : 'no'}`,
      '',
      '<details><summary>input</summary>',
      '',
      '```json',
      schemaText(spec.input, 'input'),
      '```',
      '</details>',
      '<details><summary>output</summary>',
      '',
      '```json',
      schemaText(spec.output, 'output'),
      '```',
      '</details>',
      '',
    )
  }
  return lines.join('\n')
}

/** The same reference as a self-contained HTML page (no scripts, no external assets). */
export function apiDocsHtml(): string {
  const md = apiDocsMarkdown()
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyuan host API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}pre{background:#f6f8fa;padding:1em;overflow:auto}</style>
</head><body><pre>${esc(md)}</pre></body></html>`
}
