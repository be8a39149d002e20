import type ExcelJS from 'exceljs'
import type { HostText } from '@shared/contract/host-text'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { normalizeText, textProblem, type TextKind } from '@shared/domain/text-kinds'
import { ApiFailure } from '../../api/api-failure'

/** The template's columns, in order: header text and the field it fills. */
export const TEMPLATE_COLUMNS = [
  ['楼栋', 'building'],
  ['楼层', 'floor'],
  ['房号', 'number'],
  ['户型', 'layout'],
  ['建筑面积(㎡)', 'area'],
  ['朝向', 'orientation'],
  ['总价(元)', 'listPrice'],
  ['特殊标签', 'tags'],
] as const

type Field = (typeof TEMPLATE_COLUMNS)[number][1]

/** The text kind of each word column (numbers are read as numbers). */
const CELL_KINDS: Partial<Record<Field, TextKind>> = { building: 'line', number: 'code', layout: 'line', orientation: 'line', tags: 'line' }

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** The bedrooms a layout names, in digits or Chinese ("3室2厅", "三室两厅", "四房两厅"); null when it names none. */
export function bedroomsOf(layout: string | null): number | null {
  const m = /(\d+|[一二两三四五六七八九])\s*[室房]/.exec(layout ?? '')
  if (!m) return null
  return (CHINESE_DIGITS[m[1]!] ?? Number(m[1])) || null
}

/** exceljs is large: loaded on the first import or template, not at host start. */
async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default
}

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '')
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('')
  return String(v).trim()
}

export interface ParsedUnit {
  building: string
  floor: number
  number: string
  layout: string | null
  area: number
  orientation: string | null
  listPrice: number
  tags: string[]
}

/**
 * Reads the unit list workbook. A wrong file as a whole (not xlsx, wrong headers) is an error;
 * otherwise every row is checked and each problem reported by row and column.
 */
export async function parseUnitWorkbook(buffer: Buffer): Promise<{ units: Array<ParsedUnit & { row: number }>; errors: Array<{ row: number; field: string; message: HostText }> }> {
  const wb = new (await excel()).Workbook()
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer)
  } catch {
    throw new ApiFailure('VALIDATION', 'the file is not an Excel workbook (.xlsx)', 'fileBase64', 'not_xlsx')
  }
  const sheet = wb.worksheets[0]
  if (!sheet) throw new ApiFailure('VALIDATION', 'the workbook has no sheet', 'fileBase64', 'not_xlsx')
  const header = TEMPLATE_COLUMNS.map((_, i) => text(sheet.getRow(1).getCell(i + 1).value))
  const wrong = TEMPLATE_COLUMNS.findIndex(([h], i) => header[i] !== h)
  if (wrong >= 0) {
    throw new ApiFailure('VALIDATION', `column ${wrong + 1} should be “${TEMPLATE_COLUMNS[wrong]![0]}”; use the template`, 'fileBase64', 'bad_template', { column: wrong + 1 })
  }
  const units: Array<ParsedUnit & { row: number }> = []
  const errors: Array<{ row: number; field: string; message: HostText }> = []
  const seen = new Map<string, number>()
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return
    const raw = (f: Field) => text(row.getCell(TEMPLATE_COLUMNS.findIndex(([, k]) => k === f) + 1).value)
    if (TEMPLATE_COLUMNS.every(([, f]) => raw(f) === '')) return
    const err = (field: Field, message: HostText) => errors.push({ row: rowNumber, field, message })
    // words as the API's text kinds take them (full width, zero-width paste artefacts); what they refuse is a row error
    const cells = new Map<Field, string>()
    for (const [, f] of TEMPLATE_COLUMNS) {
      const kind = CELL_KINDS[f]
      const value = kind ? normalizeText(kind, raw(f)) : raw(f)
      const problem = kind ? textProblem(kind, value) : null
      if (problem) err(f, hostTextOf('import.badChar', { char: problem.char }))
      cells.set(f, value)
    }
    const cell = (f: Field) => cells.get(f) ?? ''
    const building = cell('building')
    const number = cell('number')
    const floor = Number(cell('floor'))
    const area = Math.round(Number(cell('area')) * 100)
    const listPrice = Math.round(Number(cell('listPrice')) * 100)
    if (!building) err('building', hostTextOf('import.buildingRequired'))
    if (!number) err('number', hostTextOf('import.numberRequired'))
    if (!Number.isInteger(floor) || floor < -5 || floor > 200) err('floor', hostTextOf('import.floorRange'))
    if (!Number.isFinite(area) || area <= 0 || area > 10_000_000) err('area', hostTextOf('import.areaPositive'))
    if (!Number.isFinite(listPrice) || listPrice <= 0) err('listPrice', hostTextOf('import.pricePositive'))
    const key = `${building}\u0000${number}`
    if (building && number) {
      if (seen.has(key)) err('number', hostTextOf('import.duplicateRow', { row: seen.get(key) ?? 0 }))
      else seen.set(key, rowNumber)
    }
    units.push({
      row: rowNumber,
      building,
      floor,
      number,
      layout: cell('layout') || null,
      area,
      orientation: cell('orientation') || null,
      listPrice,
      tags: cell('tags').split(/[,，、]/).map((t) => t.trim()).filter(Boolean),
    })
  })
  if (units.length === 0 && errors.length === 0) throw new ApiFailure('VALIDATION', 'the sheet has no units', 'fileBase64', 'empty')
  return { units, errors }
}

/** The template workbook: the header row and one example row. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new (await excel()).Workbook()
  const ws = wb.addWorksheet('房源')
  ws.addRow(TEMPLATE_COLUMNS.map(([h]) => h))
  ws.addRow(['1号楼', 12, '1201', '3室2厅', 98.5, '南北', 6_800_000, '景观,边套'])
  ws.getRow(1).font = { bold: true }
  ws.columns.forEach((c) => {
    c.width = 14
  })
  return Buffer.from(await wb.xlsx.writeBuffer())
}
