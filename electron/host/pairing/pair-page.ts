import type { ApiErrorShape } from '@shared/contract/common'
import { PAIR_PATHS } from './pair-protocol'

/** The refusals a person meets on the page, zh then en (the page is served before any renderer loads). */
const REFUSALS: Record<string, [string, string]> = {
  pairing_code_wrong: ['配对码不正确，还可再试 {attemptsLeft} 次。', 'Wrong pairing code; {attemptsLeft} tries left.'],
  pairing_locked: ['配对码错误次数过多，配对已锁定 {seconds} 秒；请管理员重新生成配对码。', 'Too many wrong codes: pairing is locked for {seconds} s; ask the admin for a new code.'],
  pairing_closed: ['主机上没有可用的配对码：请管理员在 设置 › 终端配对 中生成。', 'No pairing code is open on the host: ask the admin to open one under Settings › Paired devices.'],
  pairing_bad_request: ['请填写本机名称和配对码。', 'Enter a name for this PC and the pairing code.'],
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function refusalText(error: ApiErrorShape): [string, string] {
  const [zh, en] = REFUSALS[error.reason ?? ''] ?? ['配对失败。', 'Pairing failed.']
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(error.params?.[k] ?? ''))
  return [fill(zh), fill(en)]
}

/** The page where a browser on the LAN pairs: a name for the PC and the code the admin opened (zh first). */
export function pairPageHtml(error: ApiErrorShape | null): string {
  const problem = error
    ? `<p role="alert" style="color: #a8071a">${refusalText(error)
        .map((t) => escapeHtml(t))
        .join('<br>')}</p>`
    : ''
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>客源 终端配对 / Keyuan pairing</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.6">
<h1>客源 终端配对 <small lang="en">Pair this browser</small></h1>
<p>先按 <a href="/tls">分店证书</a> 页面安装证书并核对指纹，再填写管理员在主机上生成的配对码。<br>
<span lang="en">Install the branch certificate first (<a href="/tls">/tls</a>, compare the fingerprint), then type the code the admin opened on the host.</span></p>
${problem}
<form method="post" action="${PAIR_PATHS.browser}">
<p><label>本机名称 <span lang="en">Name of this PC</span><br><input name="name" required maxlength="60" autocomplete="off" autofocus></label></p>
<p><label>配对码 <span lang="en">Pairing code</span><br><input name="code" required maxlength="20" autocomplete="off" style="font: 1.4em monospace; letter-spacing: 0.1em" placeholder="XXXXX-XXXXX"></label></p>
<p><button type="submit">配对 / Pair</button></p>
</form>
</body></html>
`
}
