import type { z } from 'zod'
import type { ExportStartInput } from '@shared/contract/export'
import { careSource } from './care-export'
import { approvalsSource } from './approvals-export'
import { boardSource } from './board-export'
import { clientsSource } from './clients-export'
import { bindSource, type BoundSource } from './export-sheet'
import { financeSource } from './finance-export'
import { poolSource } from './pool-export'
import { reportSource } from './report-export'
import { subscriptionSource } from './subscription-export'
import { tasksSource } from './tasks-export'

/** An export's request as parsed (defaults applied). */
export type ExportRequest = z.output<typeof ExportStartInput>

// one source per grid, made once: each keeps its grid's recent counts
const clients = clientsSource()
const pool = poolSource()
const tasks = tasksSource()
const finance = financeSource()
const subscription = subscriptionSource()
const care = careSource()
const board = boardSource()
const approvals = approvalsSource()

/** The grid's source with the request's query bound to it. */
export function sourceFor(request: ExportRequest): BoundSource {
  switch (request.grid) {
    case 'clients':
      return bindSource(clients, request.query)
    case 'pool':
      return bindSource(pool, request.query)
    case 'tasks':
      return bindSource(tasks, request.query)
    case 'finance':
      return bindSource(finance, request.query)
    case 'subscription':
      return bindSource(subscription, request.query)
    case 'care':
      return bindSource(care, request.query)
    case 'board':
      return bindSource(board, request.query)
    case 'approvals':
      return bindSource(approvals, request.query)
    case 'report':
      return reportSource(request.query)
  }
}
