import { describe, expect, it } from 'vitest'
import { mortgageHref, readMortgagePrefill } from '../../renderer/src/features/mortgage/mortgage-href'

// issue #20: the calculator opened from a unit carries its price and its area (for the 契税 panel)
describe('the calculator link from a unit or a budget', () => {
  it("carries a unit's price in yuan, its label and its area in m²", () => {
    const href = mortgageHref({ source: 'unit', priceFen: 3_000_000_00, label: '1号楼 101', area: 9_850 })
    expect(href).toBe('#/mortgage/unit/3000000/1%E5%8F%B7%E6%A5%BC%20101/98.5')
    const params = href.slice('#/mortgage/'.length).split('/').map(decodeURIComponent)
    expect(readMortgagePrefill(params)).toEqual({ priceYuan: 3_000_000, label: '1号楼 101', areaM2: 98.5 })
  })

  it('keeps the area in place when there is no label, and leaves out an area it does not know', () => {
    expect(mortgageHref({ source: 'unit', priceFen: 1_000_000_00, area: 7_200 })).toBe('#/mortgage/unit/1000000/-/72')
    expect(readMortgagePrefill(['unit', '1000000', '-', '72'])).toEqual({ priceYuan: 1_000_000, label: null, areaM2: 72 })
    expect(mortgageHref({ source: 'unit', priceFen: 1_000_000_00, label: 'A', area: null })).toBe('#/mortgage/unit/1000000/A')
    expect(mortgageHref({ source: 'budget', priceFen: 2_000_000_00 })).toBe('#/mortgage/budget/2000000')
    expect(readMortgagePrefill(['budget', '2000000'])).toEqual({ priceYuan: 2_000_000, label: null, areaM2: null })
  })

  it('reads nothing usable from a hand-typed address that is no price or area', () => {
    expect(readMortgagePrefill([])).toEqual({ priceYuan: null, label: null, areaM2: null })
    expect(readMortgagePrefill(['unit', 'abc', 'x', '0'])).toEqual({ priceYuan: null, label: 'x', areaM2: null })
    expect(readMortgagePrefill(['unit', '-5', 'x', '1e9'])).toEqual({ priceYuan: null, label: 'x', areaM2: null })
  })
})
