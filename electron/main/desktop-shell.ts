import net from 'node:net'
import { z } from 'zod'
import { LanPort, type DesktopConfig } from './desktop-config'
import { pageFrame } from './page-frame'
import { WIZARD_SCHEME } from './setup-wizard'

/** One item of the tray menu; main turns it into Electron's MenuItem and runs `action` on a click. */
export interface TrayItem {
  action: 'open' | 'lan-port' | 'open-at-login' | 'quit'
  label: string
  /** a check box (start at login) */
  checked?: boolean
}

/** The tray menu: open the window, the host's LAN port (host mode only), start at login, quit. */
export function trayItems(config: DesktopConfig): TrayItem[] {
  return [
    { action: 'open', label: '打开客源 Open Keyuan' },
    ...(config.mode === 'host' ? [{ action: 'lan-port' as const, label: `局域网端口 LAN port (${config.lanPort})…` }] : []),
    { action: 'open-at-login', label: '开机时启动 Start at login', checked: config.openAtLogin },
    { action: 'quit', label: config.mode === 'host' ? '退出（停止主机服务） Quit (stops the host)' : '退出 Quit' },
  ]
}

/** The tray's tooltip: which mode this PC is in. */
export function trayTooltip(config: DesktopConfig): string {
  return config.mode === 'host' ? `客源 · 主机 Keyuan host (端口 port ${config.lanPort})` : '客源 · 终端 Keyuan terminal'
}

/**
 * What closing the window does: a host keeps serving the branch (the window hides to the tray;
 * 退出 in the tray menu stops it); a terminal has nothing to keep running and quits.
 */
export function closeAction(mode: DesktopConfig['mode']): 'hide' | 'quit' {
  return mode === 'host' ? 'hide' : 'quit'
}

/** The login item Electron keeps (Windows' Run key, macOS login items); hidden: a host starts in the tray. */
export function loginItemSettings(config: DesktopConfig): { openAtLogin: boolean; openAsHidden: boolean; args: string[] } {
  const hidden = config.mode === 'host'
  return { openAtLogin: config.openAtLogin, openAsHidden: hidden, args: hidden ? ['--hidden'] : [] }
}

/** Whether this start came from the login item of a host (then the window stays in the tray until opened). */
export function startsHidden(argv: readonly string[], config: DesktopConfig): boolean {
  return config.mode === 'host' && argv.includes('--hidden')
}

/** The URL the LAN-port page's form sends; caught by main, never loaded. */
export const LAN_PORT_ACTION = `${WIZARD_SCHEME}lan-port`

const PortForm = z.object({ port: z.string().max(10) })

/** The port the admin typed on the LAN-port page: the port, 'invalid', or null (not that page's URL, or cancelled). */
export function parseLanPortUrl(raw: string): number | 'invalid' | null {
  if (!raw.startsWith(`${LAN_PORT_ACTION}?`)) return null
  const form = PortForm.safeParse(Object.fromEntries(new URL(raw).searchParams))
  if (!form.success) return 'invalid'
  const port = LanPort.safeParse(form.data.port)
  return port.success ? port.data : 'invalid'
}

/** The host's config with a new LAN port (applies when the host next starts). */
export function withLanPort(config: Extract<DesktopConfig, { mode: 'host' }>, port: number): DesktopConfig {
  return { ...config, lanPort: port }
}

/** The LAN-port page: no scripts, zh then en; says the change applies after a restart and what the firewall needs. */
export function lanPortPageHtml(current: number, state: 'ask' | 'invalid' | 'saved'): string {
  const note =
    state === 'invalid'
      ? '<p role="alert" class="alert">端口须是 1024 到 65535 之间的数字。<br>The port must be a number from 1024 to 65535.</p>'
      : state === 'saved'
        ? '<p role="status">已保存。请退出客源并重新启动，新端口才生效；终端需重新配对到新地址。<br>Saved. Quit Keyuan and start it again for the new port to apply; terminals then pair again with the new address.</p>'
        : ''
  return pageFrame(
    { zh: '局域网端口', en: 'LAN port' },
    `<p>其他电脑通过这个端口连接主机。更改后需重启客源才生效；若不是 8640，请在 Windows 防火墙中为新端口添加入站规则（见使用说明）。<br>
<span class="en">The other PCs reach the host on this port. A change applies after Keyuan restarts; for a port other than 8640, add an inbound Windows firewall rule for it (see the usage guide).</span></p>
${note}<form action="${LAN_PORT_ACTION}" method="get">
<label>端口 Port <input name="port" value="${current}" inputmode="numeric" autofocus></label>
<button type="submit">保存 Save</button></form>`,
  )
}

/**
 * Whether the host could listen on `port` on every address now: checked before the host starts,
 * so a port another program holds is said plainly (with a way to change it) instead of the host
 * stopping again and again.
 */
export function lanPortFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)))
  })
}

/** The dialog when the LAN port is taken: change it (the LAN port page, then start again) or quit. */
export function portTakenDialog(port: number): { title: string; message: string; detail: string; buttons: string[] } {
  return {
    title: '客源 Keyuan',
    message: `局域网端口 ${port} 已被其他程序占用，主机服务无法启动。\nThe LAN port ${port} is used by another program: the host service cannot start.`,
    detail: '请更改端口（保存后重新启动客源），或关闭占用该端口的程序后再启动。\nChange the port (then start Keyuan again), or close the program that uses it and start again.',
    buttons: ['退出 Quit', '更改端口… Change the port…'],
  }
}
