import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { ClientRow } from '@shared/contract/clients'
import type { ClientsExportQuery } from '@shared/contract/export'
import { formatBranchTime } from '@shared/domain/branch-time'
import { clientAccess } from '@shared/domain/client-access'
import type { SessionInfo } from '../../api/handler'
import type { DB } from '../../db/schema'
import { clientsAfter, GridTotals, listClients } from '../clients/client-grid'
import { resolveSearch } from '../clients/client-search'
import { ownershipOf, toClientRow } from '../clients/client-shape'
import { enumText } from './export-enums'
import type { ExportColumn, Exporter, GridSource } from './export-sheet'

type Query = z.output<typeof ClientsExportQuery>

/**
 * The owners whose clients a role may export (null: every client the grid shows). The rule is
 * clientAccess's "full" (shared/domain/client-access.ts): agents their own clients, senior agents
 * theirs and their team's, managers and admins all. A client seen only in basics (another agent's,
 * the pool's) is never exported by an agent, masked or not.
 */
async function exportableOwners(db: Kysely<DB>, who: Exporter): Promise<number[] | null> {
  if (who.role === 'manager' || who.role === 'admin') return null
  if (who.role === 'front_desk') return []
  if (who.role === 'senior_agent' && who.team !== null) {
    const team = who.team
    const mates = (await db.selectFrom('staff').select('id').where('team', '=', team).execute()).map((s) => s.id)
    return [...new Set([who.staffId, ...mates])]
  }
  return [who.staffId]
}

/** The grid's query with the exporter's owners laid over its own owner filter; null when nothing can match. */
async function restricted(db: Kysely<DB>, q: Query, who: Exporter): Promise<Query | null> {
  const owners = await exportableOwners(db, who)
  if (owners === null) return q
  const asked = q.filter.ownerId
  const ownerId = asked ? owners.filter((id) => asked.includes(id)) : owners
  if (ownerId.length === 0 || q.filter.unowned) return null
  return { ...q, filter: { ...q.filter, ownerId } }
}

/** listClients reads the viewer's id and team only; an export runs in a job, outside any session. */
function sessionOf(who: Exporter): SessionInfo {
  return { tokenHash: '', staffId: who.staffId, username: who.username, name: who.name, role: who.role, team: who.team, expiresAt: '' }
}

/** The search the query's filter names, resolved as the grid resolves it for the exporter (null: none). */
async function searchOf(db: Kysely<DB>, q: Query, who: Exporter) {
  return q.filter.search === undefined ? null : (await resolveSearch(db, q.filter.search, who)).match
}

const text = (v: string | null) => v ?? ''
const time = (v: string | null) => formatBranchTime(v)

/** The client grid's columns (the pool's too: its rows are client rows). */
export const CLIENT_COLUMNS: readonly ExportColumn<ClientRow>[] = [
  { zh: '客户编号', en: 'Code', cell: (r) => r.code },
  { zh: '姓名/名称', en: 'Name', cell: (r) => r.name },
  { zh: '电话', en: 'Phone', cell: (r) => text(r.phone) },
  { zh: '等级', en: 'Tier', cell: (r, l) => enumText('tier', r.tier, l) },
  { zh: '阶段', en: 'Stage', cell: (r, l) => enumText('stage', r.stage, l) },
  { zh: '归属经纪人', en: 'Owner', cell: (r) => r.owner?.name ?? '' },
  { zh: '区域', en: 'Region', cell: (r) => text(r.region) },
  { zh: '小区', en: 'Community', cell: (r) => text(r.community) },
  { zh: '来源渠道', en: 'Source', cell: (r, l) => enumText('sourceChannel', r.sourceChannel, l) },
  { zh: '需求类型', en: 'Demand', cell: (r, l) => (r.demandType ? enumText('demandType', r.demandType, l) : '') },
  { zh: '最近跟进', en: 'Last follow-up', cell: (r) => time(r.lastFollowUpAt) },
  { zh: '保护期至', en: 'Protected until', cell: (r) => time(r.protectedUntil) },
  { zh: '完整度%', en: 'Completeness %', cell: (r) => r.completeness },
  { zh: '黑名单', en: 'Blacklisted', cell: (r, l) => (r.blacklisted ? (l === 'zh' ? '是' : 'yes') : '') },
  { zh: '录入时间', en: 'Created', cell: (r) => time(r.createdAt) },
]

/** The client grid (客户): clients.list's own query, order and row shape (read by keyset), limited to the clients the exporter works in full. */
export function clientsSource(): GridSource<Query, ClientRow> {
  // recent counts of large filters, as the grid keeps them (one set for the exports of this host)
  const totals = new GridTotals()
  return {
    title: { zh: '客户导出', en: 'Clients export' },
    columns: CLIENT_COLUMNS,
    async count(db, query, who, now) {
      const q = await restricted(db, query, who)
      return q === null ? 0 : (await listClients(db, { ...q, offset: 0, limit: 1, exactTotal: true }, sessionOf(who), now, totals, await searchOf(db, q, who))).total
    },
    async page(db, query, who, now, from, limit) {
      const q = await restricted(db, query, who)
      if (q === null) return { rows: [], read: 0, last: null }
      const slice = await clientsAfter(db, q, sessionOf(who), now, await searchOf(db, q, who), from.after, limit)
      // row by row, the same rule again: an owner filter can never let through a client the exporter sees only in basics
      const rows = slice.rows.filter((r) => clientAccess(who, ownershipOf(r)) === 'full').map((r) => toClientRow(r, who))
      return { rows, read: slice.read, last: slice.last }
    },
  }
}
