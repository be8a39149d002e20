import { parentChannel, parentKeyKeeper } from '../../electron/host/db/key-keeper'
import { startHost } from '../../electron/host/host'

/**
 * A desktop host process for desktop-rekey.test.ts: started as Electron main starts the host (the
 * key in KEYUAN_DB_KEY, a pending one in KEYUAN_DB_KEY_NEXT, the key owner on the IPC channel),
 * it changes its key once. The test plays the key owner and kills this process at a step.
 */
async function main() {
  const [dataDir] = process.argv.slice(2) as [string]
  const channel = parentChannel()
  if (!channel) throw new Error('start me with an IPC channel')
  const host = await startHost({
    dataDir,
    noServer: true,
    schedulerIntervalMs: 0,
    keyHex: process.env.KEYUAN_DB_KEY,
    keyKeeper: parentKeyKeeper(channel),
    env: process.env,
  })
  await host.rekey()
  console.log('rekey finished')
  await host.close()
  process.exit(0)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
