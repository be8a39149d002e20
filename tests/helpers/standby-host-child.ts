import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startHost } from '../../electron/host/host'
import { serveCommands } from './child-channel'
import { ADMIN_PASSWORD } from './temp-host'

// The host of standby.test.ts, as its own process (the test kills it with SIGKILL): TLS on
// 127.0.0.1, the admin's part (a pairing code, making a device a standby) run in here as at the
// host PC. The loopback exemption stays on, so the test's writer calls the API without pairing;
// the standby routes ask for a paired standby's secret from loopback too.

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-standby-host-'))
  const host = await startHost({
    dataDir,
    bind: '127.0.0.1',
    tls: true,
    port: 0,
    rendererDir: dataDir,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    readers: 1,
    log: (msg) => process.stderr.write(`${msg}\n`),
  })
  const admin = host.client()
  await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  serveCommands(
    { url: host.url, caPem: host.tls!.caPem, caFingerprint: host.tls!.fingerprint.sha256, recoveryKey: host.recoveryKey, dataDir },
    {
      openPairing: async () => (await admin.call('devices.openPairing', {})).code,
      devices: async () => admin.call('devices.list', {}),
      setStandby: async ({ id, standby }) => admin.call('devices.setStandby', { id: Number(id), standby: standby === true }),
      prune: async () => host.standby.prune(),
    },
    async () => {
      await host.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  )
}

void main().catch((err: unknown) => {
  process.stderr.write(`the standby test's host did not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
