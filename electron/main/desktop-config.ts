import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

/** The desktop app's own choices, in the userData folder: which mode, and the host's folder and port. */
export const DESKTOP_CONFIG_FILE = 'keyuan-desktop.json'

/** The LAN port a host serves on unless the admin changes it (the installer's firewall rule opens it). */
export const DEFAULT_LAN_PORT = 8640

/** A port the admin may give: not 0 (it must stay the same for the terminals), not a privileged one. */
export const LanPort = z.coerce.number().int().min(1024).max(65535)

const HostMode = z.object({
  mode: z.literal('host'),
  /** the data folder (database, TLS, backups) */
  dataDir: z.string().min(1),
  lanPort: LanPort,
  openAtLogin: z.boolean(),
})
const TerminalMode = z.object({
  mode: z.literal('terminal'),
  openAtLogin: z.boolean(),
})

/** What the first-run wizard decided; read at every start. */
export const DesktopConfig = z.discriminatedUnion('mode', [HostMode, TerminalMode])
export type DesktopConfig = z.infer<typeof DesktopConfig>

/** The config kept in `userDataDir`, or null when there is none (or it is not one: the wizard asks again). */
export function loadDesktopConfig(userDataDir: string): DesktopConfig | null {
  let text: string
  try {
    text = fs.readFileSync(path.join(userDataDir, DESKTOP_CONFIG_FILE), 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = DesktopConfig.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Keeps the config (written whole, then renamed: a crash leaves the old one or the new one). */
export function saveDesktopConfig(userDataDir: string, config: DesktopConfig): void {
  const file = path.join(userDataDir, DESKTOP_CONFIG_FILE)
  fs.mkdirSync(userDataDir, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(DesktopConfig.parse(config), null, 2), { mode: 0o600 })
  fs.renameSync(tmp, file)
}
