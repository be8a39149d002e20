import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from '../../electron/host/domains/export/export-csv'

// CSV cells for the SMS tool and Excel (issue #20): quoting, numbers kept as text, formulas made inert
describe('a CSV cell', () => {
  it('quotes commas, quotes and line ends, and leaves plain text alone', () => {
    expect(csvCell('王小明')).toBe('王小明')
    expect(csvCell('李, "老李"')).toBe('"李, ""老李"""')
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"')
    expect(csvCell(null)).toBe('')
    expect(csvCell(42)).toBe('42')
  })

  it('keeps a phone in a text column as text (a tab before it), but not a masked one or one in another column', () => {
    expect(csvCell('13812345678', true)).toBe('"\t13812345678"')
    expect(csvCell('021-6234 5678', true)).toBe('"\t021-6234 5678"')
    expect(csvCell('138****5678', true)).toBe('138****5678')
    expect(csvCell('13812345678')).toBe('13812345678')
  })

  it('puts an apostrophe before anything Excel would run as a formula', () => {
    for (const f of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(f).replace(/^"|"$/g, '')).toMatch(/^'/)
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
  })

  it('joins a line with commas and ends it with CRLF', () => {
    expect(csvLine(['a', null, '13812345678'], [false, false, true])).toBe('a,,"\t13812345678"\r\n')
  })
})
