import { describe, expect, it } from 'vitest'
import { AA_NORMAL, contrastRatio, DARK_TEXT, LIGHT_TEXT, luminance, textOn } from '@shared/domain/contrast'
import { DEFAULT_PALETTE, SAFE_PALETTE, UnitStatus } from '@shared/domain/unit-status'
import { boardEn } from '../../renderer/src/features/board/texts.en'
import { boardZh } from '../../renderer/src/features/board/texts.zh'

describe('board colours: text on every status colour meets WCAG AA (4.5:1)', () => {
  it('computes WCAG ratios as the standard defines them', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1)
    // the classic threshold pair: #767676 on white just passes AA, #777777 just fails
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5)
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5)
    expect(luminance('#ffffff')).toBeCloseTo(1, 5)
    expect(contrastRatio('#1677ff', '#fff')).toBeCloseTo(contrastRatio('#fff', '#1677ff'), 10)
  })

  for (const [name, palette] of [
    ['default colours', DEFAULT_PALETTE],
    ['colour-blind-safe colours', SAFE_PALETTE],
  ] as const) {
    it(`${name}: the text each status colour carries reads at AA or better`, () => {
      const table = UnitStatus.options.map((s) => {
        const bg = palette[s]
        const fg = textOn(bg)
        return { status: s, bg, fg, ratio: Number(contrastRatio(fg, bg).toFixed(2)) }
      })
      console.table(table)
      for (const row of table) expect(row.ratio, `${row.status} ${row.fg} on ${row.bg}`).toBeGreaterThanOrEqual(AA_NORMAL)
    })
  }

  it('the old rule (white on anything darker than "160") failed AA on the default 可售 and 认购 colours; the new one does not', () => {
    // what the board drew before: white text on #52c41a and #1677ff
    expect(contrastRatio(LIGHT_TEXT, DEFAULT_PALETTE.available)).toBeLessThan(AA_NORMAL)
    expect(contrastRatio(LIGHT_TEXT, DEFAULT_PALETTE.subscribe)).toBeLessThan(AA_NORMAL)
    expect(textOn(DEFAULT_PALETTE.available)).toBe(DARK_TEXT)
    expect(contrastRatio(textOn(DEFAULT_PALETTE.subscribe), DEFAULT_PALETTE.subscribe)).toBeGreaterThanOrEqual(AA_NORMAL)
  })

  it('any colour a branch may pick in the palette dialog gets a text at AA or better', () => {
    let worst = 21
    for (let r = 0; r < 256; r += 15)
      for (let g = 0; g < 256; g += 15)
        for (let b = 0; b < 256; b += 15) {
          const bg = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
          worst = Math.min(worst, contrastRatio(textOn(bg), bg))
        }
    expect(worst).toBeGreaterThanOrEqual(AA_NORMAL)
  })
})

describe('board on paper: a status reads without colour', () => {
  it('each status has its own one-character print letter, in Chinese and in English', () => {
    for (const codes of [boardZh.codes, boardEn.codes]) {
      const letters = UnitStatus.options.map((s) => codes[s])
      for (const l of letters) expect([...l]).toHaveLength(1)
      expect(new Set(letters).size).toBe(UnitStatus.options.length)
    }
  })
})
