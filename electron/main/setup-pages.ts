import type { ApiErrorShape } from '@shared/contract/common'
import type { PinnedCertificateError } from '../host/pairing/pin-check'
import { escapeHtml, pageFrame, type Bilingual } from './page-frame'
import { REPAIR_URL, type HostFormProblem, type WizardState } from './setup-wizard'

// The wizard's pages, in the app's page frame (page-frame.ts). Every control is a native form
// field or link, so Tab, Enter and Space work as in any form.

function fill(t: string, params: Record<string, unknown> | undefined): string {
  return t.replace(/\{(\w+)\}/g, (_m, k: string) => String(params?.[k] ?? ''))
}

function say(t: Bilingual): string {
  return `${escapeHtml(t.zh)}<br><span class="en">${escapeHtml(t.en)}</span>`
}

function alert(t: Bilingual): string {
  return `<p role="alert" class="alert">${say(t)}</p>`
}

const BACK = '<a class="link" href="keyuan-setup:back">返回 Back</a>'

const HOST_PROBLEM: Record<HostFormProblem['reason'], Bilingual> = {
  folder_not_absolute: { zh: '请填写完整的文件夹路径（例如 D:\\客源数据）。', en: 'Give the full path of a folder (e.g. D:\\KeyuanData).' },
  lan_port_range: { zh: '端口须是 1024 到 65535 之间的数字。', en: 'The port must be a number from 1024 to 65535.' },
  too_small: { zh: '密码至少 {minimum} 个字符。', en: 'The password needs at least {minimum} characters.' },
  password_repeated: { zh: '密码不能是同一段字符的重复。', en: 'The password cannot be one short part repeated.' },
  password_keyboard: { zh: '密码不能是键盘上连着的按键。', en: 'The password cannot be a run of neighbouring keys.' },
  password_personal: { zh: '密码不能含账号名或“客源”。', en: 'The password cannot contain the account name or "Keyuan".' },
  password_common: { zh: '这是常见密码，请换一个。', en: 'That is a common password; choose another.' },
  password_mismatch: { zh: '两次输入的密码不一致。', en: 'The two passwords differ.' },
}

/** Each pairing refusal in both languages ({param} from the error's params). */
const PAIR_ERROR: Record<string, Bilingual> = {
  pairing_code_format: { zh: '配对码是 10 位字母和数字（XXXXX-XXXXX），请核对后重输。', en: 'A pairing code is 10 letters and digits (XXXXX-XXXXX); check it and type it again.' },
  pairing_code_wrong: { zh: '配对码不正确（或与主机之间的连接被拦截），还可再试 {attemptsLeft} 次。', en: 'Wrong pairing code (or the connection to the host is intercepted); {attemptsLeft} tries left.' },
  pairing_locked: { zh: '配对码错误次数过多，配对已锁定 {seconds} 秒；请管理员重新生成配对码。', en: 'Too many wrong pairing codes: pairing is locked for {seconds} s; ask the admin for a new code.' },
  pairing_closed: { zh: '主机上没有可用的配对码：请管理员在 设置 › 终端配对 中生成。', en: 'No pairing code is open on the host: ask the admin to open one under Settings › Paired devices.' },
  pairing_unreachable: { zh: '连接不到该地址的主机，请核对地址和端口，以及主机电脑的防火墙。', en: "No host answers at that address: check the address and port, and the host PC's firewall." },
  pairing_not_a_host: { zh: '该地址不是客源主机（没有分店证书）。', en: 'That address is not a Keyuan host (it offers no branch certificate).' },
  host_certificate_changed: {
    zh: '主机未能证明它知道这个配对码：这不是给出配对码的那台主机，可能有人冒充。未保存任何配对。',
    en: 'The host could not prove it knows the code: this is not the host the code came from, and someone may be posing as it. Nothing was paired.',
  },
}

/** The pairing refusal's text; an unknown reason shows the host's own (English) message. */
export function pairErrorText(error: ApiErrorShape): Bilingual {
  const known = error.reason ? PAIR_ERROR[error.reason] : undefined
  if (!known) return { zh: '配对失败。', en: `Pairing failed: ${error.message}` }
  return { zh: fill(known.zh, error.params), en: fill(known.en, error.params) }
}

function chooseHtml(): string {
  return pageFrame(
    { zh: '欢迎使用客源', en: 'Welcome to Keyuan' },
    `<p>${say({ zh: '这台电脑在分店里做什么？', en: 'What does this PC do in the branch?' })}</p>
<form action="keyuan-setup:choose" method="get"><input type="hidden" name="mode" value="host">
<button type="submit" autofocus>做本分店的主机 Host this branch</button>
<p>${say({ zh: '客户资料存在这台电脑上，其他电脑连到它。每个分店只设一台主机。', en: 'The client book is kept on this PC; the other PCs connect to it. One host per branch.' })}</p></form>
<form action="keyuan-setup:choose" method="get"><input type="hidden" name="mode" value="terminal">
<button type="submit">连接到主机 Connect to a host</button>
<p>${say({ zh: '这台电脑作为终端，使用主机上的资料；需要管理员在主机上给出的配对码。', en: "This PC is a terminal using the host's data; you need the pairing code the admin opens on the host." })}</p></form>`,
  )
}

function hostHtml(s: Extract<WizardState, { step: 'host' }>): string {
  const problem = s.problem ? alert({ zh: fill(HOST_PROBLEM[s.problem.reason].zh, { ...s.problem }), en: fill(HOST_PROBLEM[s.problem.reason].en, { ...s.problem }) }) : ''
  const invalid = (field: HostFormProblem['field']) => (s.problem?.field === field ? ' aria-invalid="true" autofocus' : '')
  const account = s.existing
    ? `<p>${say({ zh: '这个文件夹里已有分店数据库：将直接打开它，沿用原有账号。', en: 'This folder already holds a branch database: it is opened as it is, with its accounts.' })}</p>`
    : `<p>${say({ zh: '管理员账号是 admin。请为它设一个密码（至少 8 个字符）：', en: 'The admin account is "admin". Set its password (at least 8 characters):' })}</p>
<label>管理员密码 Admin password <input type="password" name="password" autocomplete="new-password"${invalid('password')}></label>
<label>再输一次 Again <input type="password" name="confirm" autocomplete="new-password"${invalid('confirm')}></label>
<p>${say({ zh: '首次启动后会显示一次恢复密钥，请打印或抄下并妥善保管。', en: 'On first start a recovery key is shown once: print it or write it down and keep it safe.' })}</p>`
  return pageFrame(
    { zh: '做本分店的主机', en: 'Host this branch' },
    `${problem}<form action="keyuan-setup:host-submit" method="get">
<label>数据文件夹 Data folder <input name="dataDir" value="${escapeHtml(s.dataDir)}" spellcheck="false"${invalid('dataDir')}></label>
<a class="link" href="keyuan-setup:pick-folder">选择文件夹… Choose a folder…</a>
<label>局域网端口 LAN port <input name="lanPort" value="${escapeHtml(s.lanPort)}" inputmode="numeric"${invalid('lanPort')}></label>
<p>${say({ zh: '其他电脑通过这个端口连接（HTTPS）。Windows 安装程序已为 8640 端口添加防火墙规则；以后可在托盘菜单中更改，重启后生效。', en: 'The other PCs connect on this port (HTTPS). The Windows installer opened port 8640 in the firewall; you can change it later from the tray menu (applies after a restart).' })}</p>
${account}<button type="submit"${s.problem ? '' : ' autofocus'}>开始 Start</button>${BACK}</form>`,
  )
}

function findHtml(s: Extract<WizardState, { step: 'find' }>): string {
  const found = s.searching
    ? `<p role="status">${say({ zh: '正在局域网中查找主机…', en: 'Looking for hosts on the LAN…' })}</p>`
    : s.hosts.length === 0
      ? `<p role="status">${say({ zh: '没有找到主机。请在下面输入主机的地址（主机的设置 › 终端配对 页面上有）。', en: "No host was found. Type the host's address below (the host's Settings › Paired devices page shows it)." })}</p>`
      : `<ul>${s.hosts
          .flatMap((h) =>
            h.urls.slice(0, 3).map(
              (u) =>
                `<li><a class="link" href="keyuan-setup:address?address=${encodeURIComponent(u)}">${escapeHtml(h.name)} · ${escapeHtml(u)}</a>${h.shortCode ? ` 核对码 Code ${escapeHtml(h.shortCode)}` : ''}</li>`,
            ),
          )
          .join('')}</ul>`
  const problem = s.problem ? alert({ zh: '这不是一个主机地址（例如 192.168.1.20:8640）。', en: 'That is not a host address (e.g. 192.168.1.20:8640).' }) : ''
  return pageFrame(
    { zh: '连接到主机', en: 'Connect to a host' },
    `${found}<p><a class="link" href="keyuan-setup:search">重新查找 Search again</a></p>${problem}
<form action="keyuan-setup:address" method="get">
<label>主机地址 Host address <input name="address" value="${escapeHtml(s.address)}" placeholder="192.168.1.20:8640" spellcheck="false" autofocus></label>
<button type="submit">下一步 Next</button>${BACK}</form>`,
  )
}

function pairHtml(s: Extract<WizardState, { step: 'pair' }>): string {
  const error = s.error ? alert(pairErrorText(s.error)) : ''
  const busy = s.busy ? `<p role="status">${say({ zh: '正在配对…', en: 'Pairing…' })}</p>` : ''
  return pageFrame(
    { zh: '输入配对码', en: 'Type the pairing code' },
    `<p>${say({ zh: `主机 ${s.address}：请管理员在主机的 设置 › 终端配对 中生成配对码，并在这里输入。`, en: `Host ${s.address}: ask the admin to open a code under Settings › Paired devices on the host, and type it here.` })}</p>
${error}${busy}<form action="keyuan-setup:pair-submit" method="get">
<label>配对码 Pairing code <input name="code" placeholder="XXXXX-XXXXX" autocomplete="off" spellcheck="false" autofocus${s.busy ? ' disabled' : ''}></label>
<label>本机名称（主机上显示） This PC's name (shown on the host) <input name="name" value="${escapeHtml(s.name)}"${s.busy ? ' disabled' : ''}></label>
<button type="submit"${s.busy ? ' disabled' : ''}>配对 Pair</button>${s.busy ? '' : BACK}</form>
<p>${say({ zh: '配对码同时核对主机的分店证书：冒充的主机无法通过，本机也不会保存它。配对后在本机登录。', en: "The code also checks the host's branch certificate: a host posing as yours cannot pass, and nothing of it is kept. After pairing, sign in on this PC." })}</p>`,
  )
}

/** The page for a wizard state (the done state shows a short "starting" page while main starts that mode). */
export function wizardPageHtml(s: WizardState): string {
  switch (s.step) {
    case 'choose':
      return chooseHtml()
    case 'host':
      return hostHtml(s)
    case 'find':
      return findHtml(s)
    case 'pair':
      return pairHtml(s)
    case 'done':
      return pageFrame({ zh: '正在启动…', en: 'Starting…' }, `<p role="status">${say({ zh: '设置已保存。', en: 'The setup is saved.' })}</p>`)
  }
}

/**
 * The page a terminal shows instead of the host's when the host's certificate is not the one
 * paired: it says so plainly, gives the code to compare, and offers to pair again (never to go on).
 */
export function pinWarningHtml(error: PinnedCertificateError, hostAddress: string): string {
  return pageFrame(
    { zh: '警告：主机证书已改变', en: "Warning: the host's certificate changed" },
    `<p role="alert" class="alert">${say({ zh: error.zh, en: error.en })}</p>
<p>${say({ zh: `主机地址：${hostAddress}。配对时的核对码：${error.expectedCode}。请到主机上打开 设置 › 终端配对，核对那里显示的分店证书核对码。`, en: `Host address: ${hostAddress}. Code at pairing: ${error.expectedCode}. On the host, open Settings › Paired devices and compare the branch certificate code shown there.` })}</p>
<p>${say({ zh: '在核对清楚之前，本机不会连接这台主机。', en: 'Until this is checked, this PC does not connect to that host.' })}</p>
<a class="link" href="${REPAIR_URL}" autofocus>重新配对 Pair again</a>`,
  )
}
