import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { CARE_PLANS, dayIndex, giftHolidaysAhead, type CarePlan } from '@shared/domain/care-plans'
import { branchDay, branchDayStart, DAY_MS, HOUR_MS } from '@shared/domain/rules'
import { isoPlusHours } from '../../../db/sqlite-sql'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, openTask, titleKey, WATCHED_CLIENT, type FollowUpRule, type RuleContext } from './rule'

/** A client the same pass returns to the pool (no activity for the pool's days) gets no care task: it would be cancelled at once. */
function notPooling(now: Date, rules: RuleContext['rules']): RawBuilder<SqlBool> {
  return sql<SqlBool>`c.last_activity_at > ${isoFrom(now, -rules.poolReturnDays * DAY_MS)}`
}

/**
 * A periodic plan for the clients in one stage: one task per client and period (periods staggered
 * by client id, see carePeriod), due at the period's end, once the client has been in the stage a
 * whole period and had no contact for as long (a contact is the plan's action done). One
 * statement over the clients in scope, so a pass stays linear in the book.
 */
function periodic({ now, at, rules, scope }: RuleContext, plan: CarePlan, key: Parameters<typeof titleKey>[0], stage: string, every: number): RawBuilder<unknown> | null {
  if (every <= 0) return null
  const day = dayIndex(branchDay(now))
  const todayStart = branchDayStart(branchDay(now))
  // literals, not parameters: a bound number may arrive as a REAL, and the period must divide as integers
  const [d, n] = [sql.lit(Math.trunc(day)), sql.lit(Math.trunc(every))]
  const period = sql`((${d} + c.id % ${n}) / ${n})`
  const daysLeft = sql`(${n} - ((${d} + c.id % ${n}) % ${n}))`
  return sql`
    INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
    SELECT c.owner_id, c.id, ${plan}, ${titleKey(key)}, c.name,
      strftime('%Y-%m-%dT%H:%M:%fZ', ${todayStart}, '+' || ${daysLeft} || ' days'),
      ${plan} || ':' || c.id || ':' || ${period}, ${at}
    FROM clients c
    WHERE ${WATCHED_CLIENT} AND c.stage = ${stage} ${inScope(scope, 'c.id')} AND ${notPooling(now, rules)}
      AND coalesce(c.stage_changed_at, c.created_at) <= ${isoFrom(now, -every * DAY_MS)}
      AND (c.last_follow_up_at IS NULL OR c.last_follow_up_at <= ${isoFrom(now, -every * DAY_MS)})
    ON CONFLICT (event_key) DO NOTHING`
}

/** An intent client's plan after each viewing held within its deadline: due that long after the viewing. */
function afterViewing({ now, at, rules, scope }: RuleContext, plan: CarePlan, key: Parameters<typeof titleKey>[0], hours: number): RawBuilder<unknown> | null {
  if (hours <= 0) return null
  return sql`
    INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
    SELECT c.owner_id, c.id, ${plan}, ${titleKey(key)}, c.name, ${isoPlusHours(sql.ref('v.ends_at'), hours)}, ${plan} || ':' || v.id, ${at}
    FROM viewings v JOIN clients c ON c.id = v.client_id
    WHERE v.status = 'done' AND v.ends_at > ${isoFrom(now, -hours * HOUR_MS)} AND v.ends_at <= ${at}
      AND ${WATCHED_CLIENT} AND c.stage = 'intent' ${inScope(scope, 'c.id')} AND ${notPooling(now, rules)}
    ON CONFLICT (event_key) DO NOTHING`
}

/** Tasks of the plans whose stage the client left are cancelled; a periodic plan's task is done by any contact since it was set. */
export function carePlanCloseStatement({ at, scope }: RuleContext): RawBuilder<unknown> {
  const left = Object.entries(CARE_PLANS)
    .filter(([, p]) => p.stage !== null)
    .map(([name, p]) => sql`(tasks.rule = ${name} AND c.stage != ${p.stage})`)
  return sql`
    UPDATE tasks SET
      status = CASE WHEN EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND (${sql.join(left, sql` OR `)})) THEN 'cancelled' ELSE 'done' END,
      done_at = ${at}
    WHERE ${openTask(scope, 'status')} ${inScope(scope, 'client_id')} AND rule IN (${sql.join(Object.keys(CARE_PLANS))}) AND (
      EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND (${sql.join(left, sql` OR `)}))
      OR (rule IN ('care.market', 'care.salon', 'care.cases') AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.last_follow_up_at >= tasks.created_at))
    )`
}

/**
 * The statements setting the plans' tasks at a pass's time over the clients in scope (the plans
 * turned off have none). Each reads the clients in scope by id (a slice of the book is a range of
 * the primary key) or the few recent viewings and sales, so a pass stays linear in the book.
 */
export function carePlanInserts(ctx: RuleContext): RawBuilder<unknown>[] {
  const { now, at, rules, scope } = ctx
  const out: Array<RawBuilder<unknown> | null> = [
    periodic(ctx, 'care.market', 'task.care.market', 'potential', rules.careMarketNoteDays),
    periodic(ctx, 'care.salon', 'task.care.salon', 'potential', rules.careSalonDays),
    periodic(ctx, 'care.cases', 'task.care.cases', 'negotiating', rules.careDealCasesDays),
    afterViewing(ctx, 'care.compare', 'task.care.compare', rules.careComparisonHours),
    afterViewing(ctx, 'care.plan', 'task.care.plan', rules.carePurchasePlanDays * 24),
  ]
  if (rules.careHandoverDays > 0) {
    // the handover is the sale's 已售 step: decoration needs are asked within the month after it
    out.push(sql`
      INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
      SELECT c.owner_id, c.id, 'care.decor', ${titleKey('task.care.decor')}, c.name, ${isoPlusHours(sql.ref('ts.at'), rules.careHandoverDays * 24)}, 'care.decor:' || ut.id, ${at}
      FROM unit_transactions ut
        JOIN transaction_steps ts ON ts.tx_id = ut.id AND ts.status = 'sold'
        JOIN clients c ON c.id = ut.client_id
      WHERE ut.live = 1 AND ut.status = 'sold' AND ts.at > ${isoFrom(now, -rules.careHandoverDays * DAY_MS)} AND ts.at <= ${at}
        AND c.merged_into IS NULL AND c.owner_id IS NOT NULL ${inScope(scope, 'ut.client_id')}
      ON CONFLICT (event_key) DO NOTHING`)
  }
  for (const h of giftHolidaysAhead(branchDay(now), rules.careFestivalGiftDays)) {
    const key = h.key === 'springFestival' ? 'task.care.giftSpringFestival' : 'task.care.giftMidAutumn'
    out.push(sql`
      INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
      SELECT c.owner_id, c.id, 'care.gift', ${titleKey(key)}, c.name, ${branchDayStart(h.date)}, 'care.gift:' || c.id || ':' || ${h.date}, ${at}
      FROM clients c
      WHERE c.merged_into IS NULL AND c.owner_id IS NOT NULL AND c.stage IN ('closed', 'repeat') ${inScope(scope, 'c.id')}
      ON CONFLICT (event_key) DO NOTHING`)
  }
  return out.filter((q) => q !== null)
}

/**
 * The care plans per lifecycle layer (seed 002) as follow-up tasks for the client's owner:
 * 潜在 a market note every week and a salon invitation every month; 意向 a comparison within 24 h
 * and a purchase plan within 3 days of each viewing; 谈判 same-layout deal cases every day; 成交
 * decoration needs within a month of the handover and a gift before 春节 and 中秋. Every interval
 * is a branch rule (0: off); event keys make each task once however many passes run.
 */
export const carePlanRule: FollowUpRule = {
  name: 'care-plans',
  async evaluate(db, ctx) {
    let created = 0
    for (const q of carePlanInserts(ctx)) created += await affected(db, q)
    const resolved = await affected(db, carePlanCloseStatement(ctx))
    return { created, resolved }
  },
}
