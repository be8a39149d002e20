import { statusTotals } from '@shared/domain/board-totals'
import type { UnitStatus } from '@shared/domain/unit-status'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerDeps, HandlersOf, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { findProject, projectIds } from '../projects/projects.repository'
import { getBoardPalette, saveBoardPalette } from '../settings/board-palette.repository'
import { toUnit } from '../units/unit-shape'
import { unitRecords } from '../units/units.repository'
import { type BoardRecords } from './board-cache'
import { buildingsOf, insertPublication, lastPublication } from './board.repository'

async function palette(ctx: HandlerContext): Promise<Record<UnitStatus, string>> {
  return (await getBoardPalette(ctx.db)).palette
}

async function mustFindProject(ctx: HandlerContext, id: number) {
  const p = await findProject(ctx.db, id)
  if (!p) throw new ApiFailure('NOT_FOUND', `no project ${id}`, 'projectId')
  return p
}

/** What board.get reads: the project, its units' rows, its buildings and the colours; NOT_FOUND for no such project. */
async function readBoard(ctx: HandlerContext, projectId: number): Promise<BoardRecords> {
  const p = await mustFindProject(ctx, projectId)
  const [records, buildings, colours] = await Promise.all([unitRecords(ctx.db, { projectId }), buildingsOf(ctx.db, projectId), palette(ctx)])
  return { project: { id: p.id, name: p.name, district: p.district }, records, buildings, palette: colours }
}

/**
 * The sales-control board (销控表): a project's units by building and floor, live and as published
 * for the lobby; its colours. board.get reads through the host's BoardCache where there is one.
 */
export const boardHandlers = (deps: Pick<HandlerDeps, 'board'>): HandlersOf<'board'> => ({
  'board.get': async ({ projectId }, ctx) => {
    const nowIso = ctx.clock.now().toISOString()
    const read = () => readBoard(ctx, projectId)
    const b = deps.board ? await deps.board.get(projectId, read) : await read()
    const units = b.records.map((r) => toUnit(r, nowIso, ctx.session))
    return {
      project: { ...b.project },
      buildings: b.buildings.map((x) => ({ id: x.id, name: x.name, floors: x.floors, unitsPerFloor: x.perFloor })),
      units,
      totals: statusTotals(units),
      palette: { ...b.palette },
      generatedAt: nowIso,
    }
  },

  'board.units': async ({ projectId, unitIds }, ctx) => {
    await mustFindProject(ctx, projectId)
    const nowIso = ctx.clock.now().toISOString()
    const records = await unitRecords(ctx.db, { unitIds: [...new Set(unitIds)] })
    // units of other projects are left out, not refused: a push may race a unit's move
    return { units: records.filter((r) => r.project_id === projectId).map((r) => toUnit(r, nowIso, ctx.session)), generatedAt: nowIso }
  },

  'board.publish': async ({ projectId }, ctx) => {
    const s = requireSession(ctx)
    const p = await mustFindProject(ctx, projectId)
    const nowIso = ctx.clock.now().toISOString()
    // the lobby screen is public: the snapshot keeps statuses, never clients
    const units = (await unitRecords(ctx.db, { projectId })).map((r) => toUnit(r, nowIso, null))
    const snapshot = {
      project: { id: p.id, name: p.name },
      units: units.map((u) => ({ id: u.id, buildingId: u.buildingId, floor: u.floor, number: u.number, layout: u.layout, area: u.area, listPrice: u.listPrice, status: u.status })),
      buildings: (await buildingsOf(ctx.db, projectId)).map((b) => ({ id: b.id, name: b.name })),
      totals: statusTotals(units),
      palette: await palette(ctx),
    }
    await insertPublication(ctx.db, { projectId, snapshot, by: s.staffId, at: nowIso })
    ctx.auditTarget(`project:${projectId}`)
    return { publishedAt: nowIso }
  },

  'board.published': async ({ projectId }, ctx) => {
    const p = await mustFindProject(ctx, projectId)
    const last = await lastPublication(ctx.db, projectId)
    if (!last) return { project: { id: p.id, name: p.name }, publishedAt: null, publishedBy: null, units: [], buildings: [], totals: [], palette: await palette(ctx) }
    return { ...(JSON.parse(last.snapshot) as object), publishedAt: last.published_at, publishedBy: last.name } as never
  },

  /** 配色: the board colours per status, kept in settings. */
  'board.getPalette': async (_input, ctx) => getBoardPalette(ctx.db),

  'board.setPalette': async ({ palette }, ctx) => {
    await saveBoardPalette(ctx.db, palette, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:boardPalette')
    // an empty unit list makes every open board of the project reload in full, colours included
    const projects = await projectIds(ctx.db)
    ctx.afterCommit(() => {
      for (const projectId of projects) ctx.events.publish('board.changed', { projectId, unitIds: [] })
    })
    return getBoardPalette(ctx.db)
  },
})
