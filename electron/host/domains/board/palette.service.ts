import type { DomainHandlers } from '../../api/handler'
import { getBoardPalette, saveBoardPalette } from '../settings/board-palette.repository'

/** 配色: the board colours per status, kept in settings. */
export const paletteHandlers: DomainHandlers<'board.getPalette' | 'board.setPalette'> = {
  'board.getPalette': async (_input, ctx) => getBoardPalette(ctx.db),

  'board.setPalette': async ({ palette }, ctx) => {
    await saveBoardPalette(ctx.db, palette, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:boardPalette')
    // an empty unit list makes every open board of the project reload in full, colours included
    const projects = await ctx.db.selectFrom('projects').select('id').orderBy('id').execute()
    ctx.afterCommit(() => {
      for (const p of projects) ctx.events.publish('board.changed', { projectId: p.id, unitIds: [] })
    })
    return getBoardPalette(ctx.db)
  },
}
