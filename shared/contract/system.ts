import { z } from 'zod'
import { Empty, IsoTime, type ContractTable } from './common'

export const systemContract = {
  'system.ping': {
    input: Empty,
    output: z.object({ pong: z.literal(true), at: IsoTime }),
    write: false,
    summary: 'A trivial round trip, for health checks and latency measurement.',
  },
} as const satisfies ContractTable
