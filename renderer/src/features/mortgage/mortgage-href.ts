/** Where the calculator is opened from: a unit (its price and area) or a client's budget. */
export interface MortgagePrefill {
  source: 'unit' | 'budget'
  priceFen: number
  /** the unit's label (楼栋 房号), shown above the calculator */
  label?: string
  /** the unit's area in 0.01 m², for the 契税 panel */
  area?: number | null
}

/**
 * The calculator's address for a prefill: `#/mortgage/<source>/<yuan>[/<label>[/<m²>]]`. A unit
 * without a label still carries its area, under an empty label segment written as `-`.
 */
export function mortgageHref(from: MortgagePrefill): string {
  const yuan = Math.round(from.priceFen / 100)
  const area = from.area !== undefined && from.area !== null && from.area > 0 ? String(from.area / 100) : null
  const label = from.label ? encodeURIComponent(from.label) : area !== null ? '-' : null
  return `#/mortgage/${[from.source, String(yuan), label, area].filter((s) => s !== null).join('/')}`
}

/** What the calculator reads from its address's segments (after `mortgage`): a price in yuan, a label and an area in m², each only when usable. */
export function readMortgagePrefill(params: readonly string[]): { priceYuan: number | null; label: string | null; areaM2: number | null } {
  const [, price, label, area] = params
  const priceYuan = Number(price)
  const areaM2 = Number(area)
  return {
    priceYuan: price !== undefined && Number.isFinite(priceYuan) && priceYuan > 0 ? priceYuan : null,
    label: label !== undefined && label !== '' && label !== '-' ? label : null,
    areaM2: area !== undefined && Number.isFinite(areaM2) && areaM2 > 0 && areaM2 <= 100_000 ? areaM2 : null,
  }
}
