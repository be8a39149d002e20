import ExcelJS from 'exceljs'
import { TEMPLATE_COLUMNS } from '../../electron/host/domains/units/unit-import'

/** A column of the unit import template, by the field it fills (building, floor, number …). */
export type UnitSheetField = (typeof TEMPLATE_COLUMNS)[number][1]

/** One unit of a sheet, cell by field; a field left out is an empty cell. Values are as a user types them (yuan, m²). */
export type UnitSheetRow = Partial<Record<UnitSheetField, ExcelJS.CellValue>>

/**
 * The unit list workbook units.import reads, with the product's own template header
 * (TEMPLATE_COLUMNS), so a test never spells the columns out. `header` replaces the header row
 * for tests of a wrong template.
 */
export async function unitSheet(rows: readonly UnitSheetRow[], opts: { header?: readonly string[] } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('房源')
  ws.addRow([...(opts.header ?? TEMPLATE_COLUMNS.map(([h]) => h))])
  for (const r of rows) ws.addRow(TEMPLATE_COLUMNS.map(([, field]) => r[field] ?? null))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** unitSheet as the base64 text units.import takes. */
export async function unitSheetBase64(rows: readonly UnitSheetRow[], opts: { header?: readonly string[] } = {}): Promise<string> {
  return (await unitSheet(rows, opts)).toString('base64')
}
