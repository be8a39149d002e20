// The frame of the app's own pages (the setup wizard, the pin warning, the recovery-key prompt, the
// LAN-port page): plain HTML without scripts, Chinese first, then English, one look.

/** A text in both languages. */
export type Bilingual = { zh: string; en: string }

/** Text made safe to stand inside HTML, also inside an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const PAGE_STYLE =
  'body{font-family:"Microsoft YaHei","PingFang SC",sans-serif;margin:32px;max-width:720px;line-height:1.6}' +
  'h1{font-size:22px}.en{color:#555}label{display:block;margin-top:14px}input{font-size:16px;padding:6px;width:100%;box-sizing:border-box}' +
  'button,.link{font-size:16px;padding:8px 16px;margin:12px 8px 0 0}.alert{color:#b00;border:1px solid #b00;padding:8px}' +
  ':focus-visible{outline:3px solid #1677ff;outline-offset:2px}'

/** A whole page: the window's title and the heading say `title` (zh, then en); `body` is HTML. */
export function pageFrame(title: Bilingual, body: string): string {
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>客源 Keyuan · ${escapeHtml(title.zh)}</title><style>${PAGE_STYLE}</style>
<body><h1>${escapeHtml(title.zh)} <span class="en">${escapeHtml(title.en)}</span></h1>${body}</body></html>`
}
