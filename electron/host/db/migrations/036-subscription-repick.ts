import type { Migration } from '../migration'

/**
 * A unit whose 认购 from a subscription pick was released (an approved 退房) can be picked again in
 * the same event (issue #21). The queue kept every picked unit unique per event, the released pick
 * too, so the second pick failed on the index. The released pick's row keeps its unit (the 汇总
 * counts it under 选后退房); the index now holds only where the queue is the sole guard: rehearsal
 * picks, which open no transaction. A live pick is a 认购 transaction, and one live transaction a
 * unit (unit_transactions_one_live) is what sells a unit once, however many desks race for it.
 */
export const m036SubscriptionRepick: Migration = {
  version: 36,
  name: 'subscription-repick',
  up: `
    DROP INDEX subscription_queue_unit;
    CREATE UNIQUE INDEX subscription_queue_unit ON subscription_queue(event_id, unit_id) WHERE unit_id IS NOT NULL AND tx_id IS NULL;
  `,
}
