import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// Every printout's page size and margins come from @page rules, which are global: an unnamed @page
// in a feature's sheet applies to every printout of the app, and with two of them the sheet loaded
// last (pages are lazy chunks: whichever page was opened last) decides. So the app has one unnamed
// @page, in its base print sheet, and a feature that needs another page names it and sets
// `page: <name>` on its printed root.
const RENDERER = path.resolve(__dirname, '../../renderer/src')
const BASE_SHEET = 'app/print-alone.css'

interface Sheet {
  file: string
  css: string
}

function sheets(dir = RENDERER): Sheet[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sheets(full)
    if (!e.name.endsWith('.css')) return []
    const css = fs.readFileSync(full, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
    return [{ file: path.relative(RENDERER, full).split(path.sep).join('/'), css }]
  })
}

/** The @page rules of a sheet: the page's name ('' for the unnamed one). */
function pageRules(css: string): string[] {
  return [...css.matchAll(/@page\b\s*([\w-]*)\s*(?::[\w-]+\s*)?\{/g)].map((m) => m[1] ?? '')
}

/** The names a sheet's `page:` declarations use. */
function pageUses(css: string): string[] {
  return [...css.matchAll(/(?:^|[{;\s])page\s*:\s*([\w-]+)/g)].map((m) => m[1] ?? '')
}

describe('print pages', () => {
  const all = sheets()

  it('reads the renderer sheets that print', () => {
    const printing = all.filter((s) => pageRules(s.css).length > 0).map((s) => s.file)
    expect(printing).toEqual(expect.arrayContaining([BASE_SHEET, 'features/board/board.css', 'features/work/print.css', 'features/subscription/subscription.css']))
  })

  it('has one unnamed @page, in the base print sheet', () => {
    const unnamed = all.flatMap((s) => pageRules(s.css).filter((name) => name === '').map(() => s.file))
    expect(unnamed).toEqual([BASE_SHEET])
  })

  it('names each page once, and every named page is used by a printed root and every use is defined', () => {
    const defined = all.flatMap((s) => pageRules(s.css).filter((name) => name !== ''))
    expect(new Set(defined).size).toBe(defined.length)
    const used = new Set(all.flatMap((s) => pageUses(s.css)))
    expect([...used].filter((name) => !defined.includes(name))).toEqual([])
    expect(defined.filter((name) => !used.has(name))).toEqual([])
  })

  it('tells an unnamed @page from a named one and a page declaration from break-after: page', () => {
    expect(pageRules('@media print { @page { size: A4 } } @page board-a3 { margin: 1mm } @page :first { margin: 0 }')).toEqual(['', 'board-a3', ''])
    expect(pageUses('.a { page: board-a3; break-after: page; page-break-before: always } .b{page:x}')).toEqual(['board-a3', 'x'])
  })
})
