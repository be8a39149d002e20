import type { ServerResponse } from 'node:http'
import type { BranchTls } from '../tls/branch-tls'

/** Where a browser finds the branch CA: the page, the certificate as PEM, and as DER (Windows' `.cer`). */
export const TLS_PATHS = { page: '/tls', pem: '/tls/keyuan-branch-ca.crt', der: '/tls/keyuan-branch-ca.cer' } as const

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The page beside the download: the fingerprint to compare and how to install the CA on Windows (zh first). */
function pageHtml(tls: BranchTls): string {
  const { sha256, shortCode } = tls.fingerprint
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>客源 分店证书 / Keyuan branch certificate</title></head>
<body style="font-family: sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.6">
<h1>客源 分店证书</h1>
<p>核对码（与主机屏幕上显示的一致才可安装）：</p>
<p style="font: bold 1.6em monospace">${escapeHtml(shortCode)}</p>
<p>SHA-256：<code style="word-break: break-all">${escapeHtml(sha256)}</code></p>
<p><a href="${TLS_PATHS.der}">下载证书（Windows，.cer）</a> · <a href="${TLS_PATHS.pem}">下载证书（PEM，.crt）</a></p>
<h2>Windows 安装步骤</h2>
<ol>
<li>下载后双击证书文件，点“安装证书”。</li>
<li>选“当前用户”，再选“将所有的证书都放入下列存储”，浏览并选择“受信任的根证书颁发机构”。</li>
<li>完成前，核对“指纹”与上面的 SHA-256 一致，然后确认安装，重新打开浏览器。</li>
</ol>
<hr>
<h1 lang="en">Keyuan branch certificate</h1>
<p lang="en">Compare this code with the one the host shows before you install: <b style="font-family: monospace">${escapeHtml(shortCode)}</b></p>
<p lang="en"><a href="${TLS_PATHS.der}">Download (Windows, .cer)</a> · <a href="${TLS_PATHS.pem}">Download (PEM, .crt)</a></p>
<ol lang="en">
<li>Open the downloaded file and choose Install Certificate.</li>
<li>Current User, then "Place all certificates in the following store": Trusted Root Certification Authorities.</li>
<li>Check that the thumbprint matches the SHA-256 above, confirm, and restart the browser.</li>
</ol>
</body></html>
`
}

/**
 * Answers `/tls` and its downloads when the host serves TLS; returns false (the caller answers
 * 404) otherwise. The CA certificate is public: the private key never leaves the data folder.
 */
export function serveTlsPage(tls: BranchTls | undefined, pathname: string, res: ServerResponse): boolean {
  if (!tls) return false
  const download = (type: string, file: string, body: string | Buffer) => {
    res.writeHead(200, { 'cache-control': 'no-store', 'content-type': type, 'content-disposition': `attachment; filename="${file}"` })
    res.end(body)
  }
  if (pathname === TLS_PATHS.page) {
    res.writeHead(200, { 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' })
    res.end(pageHtml(tls))
  } else if (pathname === TLS_PATHS.pem) download('application/x-x509-ca-cert', 'keyuan-branch-ca.crt', tls.caPem)
  else if (pathname === TLS_PATHS.der) download('application/pkix-cert', 'keyuan-branch-ca.cer', tls.caDer)
  else return false
  return true
}
