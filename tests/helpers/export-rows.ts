import ExcelJS from 'exceljs'
import { expect } from 'vitest'
import type { InputOf } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import type { Host } from '../../electron/host/host'

/**
 * The rows of an export's first sheet as text, downloaded from the host (a small export is written
 * within the call): the watermark, the headers, the rows; an empty cell is ''.
 */
export async function exportedRows(host: Host, who: ApiClient, input: InputOf<'export.start'>): Promise<string[][]> {
  const done = await who.call('export.start', input)
  expect(done.status).toBe('done')
  const res = await fetch(`${host.url}${done.download!}`)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer)
  const out: string[][] = []
  // a row's values are sparse (an empty cell is a hole): Array.from fills the holes
  wb.worksheets[0]!.eachRow((row) => out.push(Array.from((row.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v)))))
  return out
}
