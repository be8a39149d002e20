import type { HandlersOf } from '../../api/handler'
import { insertProject, projectsWithCounts } from './projects.repository'

/** Projects (楼盘) the branch sells; their units are the units domain's, their board the board's. */
export const projectsHandlers: HandlersOf<'projects'> = {
  'projects.create': async ({ name, district }, ctx) => {
    const id = await insertProject(ctx.db, { name, district: district ?? null, at: ctx.clock.now().toISOString() })
    ctx.auditTarget(`project:${id}`)
    return { id }
  },

  'projects.list': async (_input, ctx) => {
    const rows = await projectsWithCounts(ctx.db)
    return { projects: rows.map((r) => ({ id: r.id, name: r.name, district: r.district, units: Number(r.units), publishedAt: r.published_at })) }
  },
}
