import fs from 'node:fs'
import path from 'node:path'
import { DB_FILE_NAME } from '../../electron/host/db/key-file'
import { pendingRecoveryPath } from '../../electron/host/db/rekey'
import type { RekeyStep } from '../../electron/host/domains/backup/key-rotation'
import { startHost } from '../../electron/host/host'

/**
 * A host process that changes its key and dies by SIGKILL at one step of it (rekey.test.ts):
 * `<data folder> <step>` stops right after that step, `<data folder> random <ms>` some moment
 * after the ring is written (while the file is rewritten, or later). Before dying at a step it
 * keeps a copy of the pending recovery record, for the test to compare with what the next start
 * leaves in place.
 */
async function main() {
  const [dataDir, at, ms] = process.argv.slice(2) as [string, RekeyStep | 'random', string | undefined]
  const host = await startHost({
    dataDir,
    noServer: true,
    schedulerIntervalMs: 0,
    env: { KEYUAN_ADMIN_PASSWORD: 'unused-here-1' },
    onRekeyStep: (step) => {
      const pending = pendingRecoveryPath(path.join(dataDir, DB_FILE_NAME))
      if (fs.existsSync(pending)) fs.copyFileSync(pending, path.join(dataDir, 'pending-record.copy'))
      if (at === 'random' && step === 'ring-written') setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(ms)).unref()
      if (step === at) process.kill(process.pid, 'SIGKILL')
    },
  })
  await host.rekey()
  console.log('rekey finished')
  await host.close()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
