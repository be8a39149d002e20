import { ManualClock } from '../../electron/host/clock'
import type { HostOptions } from '../../electron/host/host'
import { ADMIN_PASSWORD } from './temp-host'

/**
 * The start options of a test host on the LAN path: TLS forced on 127.0.0.1 (the same code a host
 * bound to 0.0.0.0 runs, without opening a port to the office network), a free port, the clock at
 * real time (a TLS client checks the certificate's dates against its own clock), one reader, the
 * scheduler run by hand. `over` adds the rest: `pairLoopback` to make 127.0.0.1 callers pair as
 * the PCs of the office network must, a clock, a log.
 */
export function lanHostOptions(dataDir: string, over: Partial<HostOptions> = {}): HostOptions {
  return {
    dataDir,
    clock: new ManualClock(new Date()),
    bind: '127.0.0.1',
    tls: true,
    port: 0,
    rendererDir: dataDir,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    readers: 1,
    ...over,
  }
}
