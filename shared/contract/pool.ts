import { z } from 'zod'
import { Id, Ok, Page, PageInput, type ContractTable } from './common'
import { ClientRow } from './clients'
import { textField } from '../domain/text-kinds'

export const poolContract = {
  'pool.list': {
    input: PageInput.extend({ region: textField('line', 40).optional() }),
    output: Page(ClientRow),
    write: false,
    summary: 'The public pool (公客池): clients without an owner, most recently returned first.',
  },
  'pool.claim': {
    input: z.strictObject({ clientId: Id }),
    output: ClientRow,
    write: true,
    summary: 'Claim a pool client (daily cap and owner cap apply); a follow-up is then due within the obligation period.',
  },
  'pool.release': {
    input: z.strictObject({ clientId: Id, reason: textField('line', 200, 2) }),
    output: Ok,
    write: true,
    summary: 'Hand one of your clients back to the pool, with a reason (kept in the client\'s log).',
  },
  'pool.releaseMany': {
    input: z.strictObject({ clientIds: z.array(Id).min(1).max(200), reason: textField('line', 200, 2) }),
    output: z.object({ released: z.number().int() }),
    write: true,
    summary: 'Hand several of your clients back to the pool at once, with one reason: all of them or none (a client no longer yours is named).',
  },
} as const satisfies ContractTable
