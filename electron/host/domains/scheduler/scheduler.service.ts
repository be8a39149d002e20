import type { HandlersOf } from '../../api/handler'
import { queueRulePass, rulesPassJob } from '../followups/rules/pass-job'
import { runningJobOf } from '../../jobs/jobs.repository'

/** Running the rules by hand (the host also runs them every minute and after each change). */
export const schedulerHandlers: HandlersOf<'scheduler'> = {
  // a pass over the book is a job in slices: the one already running, or a new one
  'scheduler.run': async (_input, ctx) => {
    const running = await runningJobOf(ctx.db, rulesPassJob.kind)
    if (running !== undefined) return { jobId: running }
    const jobId = await queueRulePass(ctx.db, ctx.clock.now().toISOString(), ctx.session?.staffId ?? null)
    ctx.afterCommit(() => ctx.events.jobsQueued())
    return { jobId }
  },
}
