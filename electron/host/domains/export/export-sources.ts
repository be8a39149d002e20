import type { z } from 'zod'
import type { ExportStartInput } from '@shared/contract/export'
import { clientsSource } from './clients-export'
import { bindSource, type BoundSource } from './export-sheet'

/** An export's request as parsed (defaults applied). */
export type ExportRequest = z.output<typeof ExportStartInput>

// one source per grid, made once: each keeps its grid's recent counts
const clients = clientsSource()

/** The grid's source with the request's query bound to it. */
export function sourceFor(request: ExportRequest): BoundSource {
  switch (request.grid) {
    case 'clients':
      return bindSource(clients, request.query)
  }
}
