import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { systemClock } from '../../electron/host/clock'
import { startHost } from '../../electron/host/host'
import { BranchTls } from '../../electron/host/tls/branch-tls'
import { lanServerNames } from '../../electron/host/tls/server-names'
import { holdWriter } from './beside-the-host'
import { lanHostOptions } from './lan-host'
import { serveCommands } from './child-channel'
import { STAFF_PASSWORD } from './staff'
import { ADMIN_PASSWORD } from './temp-host'

// The host of lan-processes.test.ts, as its own process: TLS on 127.0.0.1 with the loopback
// exemption off (every terminal must be paired, as on the office LAN). The admin's part (opening a
// code, revoking) runs in here, as at the host PC; beside it, an impostor HTTPS server with another
// branch's certificate, counting what reaches it.

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-lan-host-'))
  const impostorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-lan-impostor-'))
  const log = (msg: string) => process.stderr.write(`${msg}\n`)

  const host = await startHost(lanHostOptions(dataDir, { clock: systemClock, pairLoopback: true, log }))
  const admin = host.client()
  await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  await admin.call('staff.create', { username: 'lan-manager', name: '店长', role: 'manager', password: STAFF_PASSWORD })
  await admin.call('staff.create', { username: 'lan-agent', name: '经纪人', role: 'agent', password: STAFF_PASSWORD })
  const manager = host.client()
  await manager.call('auth.login', { username: 'lan-manager', password: STAFF_PASSWORD })
  const project = await manager.call('projects.create', { name: '客源花园' })

  const other = BranchTls.open({ dataDir: impostorDir, names: () => lanServerNames('127.0.0.1'), clock: systemClock, log })
  let impostorHits = 0
  const impostor = https.createServer({ key: other.server.keyPem, cert: other.server.certPem }, (_req, res) => {
    impostorHits++
    res.end('{}')
  })
  impostor.on('upgrade', (_req, socket) => {
    impostorHits++
    socket.destroy()
  })
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve))

  let release: (() => Promise<void>) | null = null

  serveCommands(
    { url: host.url, impostorUrl: `https://127.0.0.1:${(impostor.address() as { port: number }).port}`, projectId: project.id, shortCode: host.tls!.fingerprint.shortCode },
    {
      openPairing: async () => (await admin.call('devices.openPairing', {})).code,
      revoke: async ({ id }) => admin.call('devices.revoke', { id: Number(id) }),
      devices: async () => (await admin.call('devices.list', {})).devices,
      /** how many activities carry this name (an idempotent write applied once makes one) */
      activities: async ({ name }) => (await manager.call('activities.list', {})).activities.filter((a) => a.name === name).length,
      holdWriter: async () => {
        release = await holdWriter(host)
      },
      releaseWriter: async () => {
        await release?.()
        release = null
      },
      impostorHits: async () => impostorHits,
    },
    async () => {
      impostor.close()
      await host.close()
      for (const d of [dataDir, impostorDir]) fs.rmSync(d, { recursive: true, force: true })
    },
  )
}

void main().catch((err: unknown) => {
  process.stderr.write(`the LAN host did not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
