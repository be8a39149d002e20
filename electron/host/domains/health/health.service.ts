import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory } from '../../api/handler'

/** 设置 › 系统状态: the host's health, for the admin (permissions.ts). */
export const healthHandlers: HandlersFactory<'health'> = (deps) => ({
  'health.status': async (_input, ctx) => {
    if (!deps.health) throw new ApiFailure('INTERNAL', 'health is not available on this host')
    return deps.health.report(ctx.db)
  },
})
