import type { ClientRow } from '@shared/contract/clients'
import type { PoolExportQuery } from '@shared/contract/export'
import type { z } from 'zod'
import { ApiFailure } from '../../api/api-failure'
import { toClientRow } from '../clients/client-shape'
import { poolAfter, poolPage } from '../pool/pool.repository'
import { CLIENT_COLUMNS } from './clients-export'
import type { Exporter, GridSource } from './export-sheet'

type Query = z.output<typeof PoolExportQuery>

/**
 * Only a manager exports the public pool (公客池): its clients are nobody's, and an agent exports
 * only their own clients (usage.md); the pool grid itself is the manager's and the agents'.
 */
function mustBeManager(who: Exporter): void {
  if (who.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager exports the public pool', 'grid', 'export_own_only')
}

/** The public pool grid (公客池): pool.list's own filter, order and row shape, read by keyset. */
export function poolSource(): GridSource<Query, ClientRow> {
  return {
    title: { zh: '公客池导出', en: 'Public pool export' },
    columns: CLIENT_COLUMNS,
    async count(db, q, who) {
      mustBeManager(who)
      return (await poolPage(db, q.region, 0, 1)).total
    },
    async page(db, q, who, _now, from, limit) {
      mustBeManager(who)
      const { rows, last } = await poolAfter(db, q.region, from.after, limit)
      return { rows: rows.map((r) => toClientRow(r, who)), read: rows.length, last }
    },
  }
}
