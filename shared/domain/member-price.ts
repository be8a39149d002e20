/**
 * How a deal is priced for its buyer (seed 004: 会员等级享受购房折扣): the list price, less the
 * buyer's member level discount, is the member price; the agent may go a little further alone,
 * anything more is a discount request for a manager.
 */

/** How far below the price it starts from an agent may go without a discount approval (per mille). */
export const AGENT_DISCOUNT_LIMIT_PERMILLE = 20

/** The statuses at which a deal is priced (认购, 签约, 已售): the member discount is applied on the first of them it reaches. */
export const PRICED_AT: readonly string[] = ['subscribe', 'sign', 'sold']

/** A buyer's club standing as pricing needs it: null for a non-member. */
export interface MemberStanding {
  level: string
  discountPermille: number
}

/** What the buyer is given off the list price, and the price that leaves. */
export interface MemberPricing {
  listPrice: number
  /** null: not a member */
  level: string | null
  discountPermille: number
  /** fen off the list price (0 without a discount) */
  discount: number
  /** list price less the member discount: the most the buyer pays */
  memberPrice: number
}

/**
 * The member price of a unit for a buyer: the level's share of the list price, in whole fen and
 * never more than the share (rounded down), off the list price. A non-member, or a level without
 * a discount, pays the list price.
 */
export function memberPricing(listPrice: number, member: MemberStanding | null): MemberPricing {
  const permille = member?.discountPermille ?? 0
  const discount = Math.floor((listPrice * permille) / 1000)
  return { listPrice, level: member?.level ?? null, discountPermille: permille, discount, memberPrice: listPrice - discount }
}

/**
 * The lowest price an agent may agree alone, from the price the deal starts at (the member price
 * once priced). The member discount does not count toward the agent's limit: it is the branch's
 * own rule, set by the manager in the level table (and audited there), not a concession the agent
 * negotiates; counting it would send every 钻石会员 deal (2%) to approval for nothing the agent
 * gave. So the agent's 2% is measured from the member price.
 */
export function agentFloor(startPrice: number): number {
  return Math.ceil((startPrice * (1000 - AGENT_DISCOUNT_LIMIT_PERMILLE)) / 1000)
}

/** A level's discount as a percent for people ("1", "0.5"): per mille / 10. */
export function discountPercent(permille: number): string {
  return String(permille / 10)
}
