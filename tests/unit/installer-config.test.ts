import fs from 'node:fs'
import path from 'node:path'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LAN_PORT } from '../../electron/main/desktop-config'

const ROOT = path.resolve(__dirname, '../..')

interface Target {
  target: string
  arch?: string[]
}

/** The targets of a platform section, whichever way the yml spells them. */
function targets(section: unknown): string[] {
  const t = (section as { target?: unknown } | undefined)?.target
  const list = Array.isArray(t) ? t : [t]
  return list.map((x) => (typeof x === 'string' ? x : (x as Target).target))
}

describe('electron-builder.yml (read and checked by electron-builder itself, no download)', () => {
  it("passes electron-builder's own schema check", async () => {
    const config = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    // the check is real: a misspelt key is refused
    await expect(validateConfiguration({ ...config, nsis: { ...config.nsis, perMachin: true } as typeof config.nsis }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration/)
  })

  it('builds Windows NSIS and Linux AppImage + deb, with native modules rebuilt for Electron from prebuilds', async () => {
    const c = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null)
    expect(targets(c.win)).toEqual(['nsis'])
    expect(targets(c.linux).sort()).toEqual(['AppImage', 'deb'])
    expect(c.npmRebuild).toBe(true)
    expect(c.buildDependenciesFromSource).toBe(false)
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3-multiple-ciphers/**', 'node_modules/node-hid/**']))
    expect(c.executableName).toMatch(/^[a-z]+$/)
    expect(c.nsis?.perMachine).toBe(true)
    expect(c.nsis?.oneClick).toBe(false)
    for (const icon of [c.win?.icon, c.linux?.icon]) expect(fs.existsSync(path.join(ROOT, String(icon)))).toBe(true)
    const extra = (c.extraResources ?? []) as Array<{ from: string; to: string }>
    expect(extra.map((e) => e.to)).toContain('tray.png')
    for (const e of extra) expect(fs.existsSync(path.join(ROOT, e.from))).toBe(true)
  })

  it("the NSIS include opens the host's LAN port in the firewall on install and removes the rule on uninstall", async () => {
    const c = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null)
    const nsh = fs.readFileSync(path.join(ROOT, String(c.nsis?.include)), 'utf8')
    const macro = (name: string) => new RegExp(`!macro ${name}\\n([\\s\\S]*?)!macroend`).exec(nsh)?.[1] ?? ''
    expect(nsh).toContain(`!define KEYUAN_LAN_PORT ${DEFAULT_LAN_PORT}`)
    expect(macro('customInstall')).toMatch(/netsh advfirewall firewall add rule name="\$\{KEYUAN_FIREWALL_RULE\}" dir=in action=allow protocol=TCP localport=\$\{KEYUAN_LAN_PORT\}/)
    expect(macro('customInstall')).toContain('profile=private,domain')
    expect(macro('customUnInstall')).toContain('netsh advfirewall firewall delete rule name="${KEYUAN_FIREWALL_RULE}"')
  })
})
