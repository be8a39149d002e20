import ExcelJS from 'exceljs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fieldOfHeader, guessMapping, headerSignature, mappingProblem } from '@shared/domain/import-columns'
import { checkImportRow, readBudgetYuan, readDate } from '@shared/domain/import-row'
import { decodeCsv, detectCsvEncoding } from '../../electron/host/domains/imports/csv-text'
import { cellText, sheetRows, type SheetRow } from '../../electron/host/domains/imports/sheet-rows'
import { zipEntries } from '../../electron/host/domains/imports/zip-entries'

async function rowsOf(bytes: Buffer): Promise<SheetRow[]> {
  const out: SheetRow[] = []
  for await (const r of sheetRows(bytes)) out.push(r)
  return out
}

/** GBK bytes of a text (Node decodes GB18030 but does not encode it): built from a known table. */
const GBK: Record<string, number[]> = { 姓: [0xd0, 0xd5], 名: [0xc3, 0xfb], 电: [0xb5, 0xe7], 话: [0xbb, 0xb0], 张: [0xd5, 0xc5], 三: [0xc8, 0xfd] }
function gbk(text: string): Buffer {
  return Buffer.from([...text].flatMap((ch) => GBK[ch] ?? [...Buffer.from(ch, 'ascii')]))
}

describe('header recognition', () => {
  it('knows the headers branches write, with spaces, full width, stars and units', () => {
    expect(fieldOfHeader('客户姓名')).toBe('name')
    expect(fieldOfHeader(' 手机号码 ')).toBe('phone')
    expect(fieldOfHeader('联系电话*')).toBe('phone')
    expect(fieldOfHeader('归属经纪人')).toBe('owner')
    expect(fieldOfHeader('预算（万）')).toBe('budget')
    expect(fieldOfHeader('渠道')).toBe('sourceChannel')
    expect(fieldOfHeader('意向区域')).toBe('region')
    expect(fieldOfHeader('ＮＡＭＥ')).toBe('name')
    expect(fieldOfHeader('身高')).toBeNull()
  })

  it('guesses a mapping: the first column of a field wins, a second phone column is the second phone', () => {
    expect(guessMapping(['序号', '姓名', '手机', '电话', '性别', '姓名'])).toEqual({ '1': 'name', '2': 'phone', '3': 'phone2', '4': 'gender' })
    expect(mappingProblem({ '0': 'name' })).toEqual({ field: 'phone', reason: 'not_mapped' })
    expect(mappingProblem({ '0': 'name', '1': 'phone', '2': 'phone' })).toEqual({ field: 'phone', reason: 'mapped_twice' })
  })

  it('gives two files of the same layout one signature, whatever their spacing', () => {
    expect(headerSignature(['姓名', ' 手机 '])).toBe(headerSignature(['姓名 ', '手机']))
    expect(headerSignature(['姓名', '手机'])).not.toBe(headerSignature(['手机', '姓名']))
  })
})

describe('CSV encodings', () => {
  it('reads a GBK CSV as GBK and a UTF-8 one with or without BOM as UTF-8', async () => {
    const bytes = Buffer.concat([gbk('姓名,电话\r\n张三,13912345678\r\n')])
    expect(detectCsvEncoding(bytes)).toBe('gb18030')
    expect((await rowsOf(bytes)).map((r) => r.cells)).toEqual([
      ['姓名', '电话'],
      ['张三', '13912345678'],
    ])
    const utf8 = Buffer.from('姓名,电话\n张三,13912345678\n')
    expect(detectCsvEncoding(utf8)).toBe('utf-8')
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])
    expect(decodeCsv(bom).text.startsWith('姓名')).toBe(true)
    expect((await rowsOf(bom))[0]!.cells[0]).toBe('姓名')
  })

  it('keeps quoted commas, quotes and line breaks inside a field', async () => {
    const rows = await rowsOf(Buffer.from('姓名,备注\n"李,四","说""好""\n再联系"\n'))
    expect(rows[1]!.cells).toEqual(['李,四', '说"好"\n再联系'])
  })
})

describe('Excel cells', () => {
  it('reads a phone typed as a number as its digits, a formula as its result, a date as its day', () => {
    expect(cellText(13912345678)).toBe('13912345678')
    expect(cellText({ formula: 'A1&""', result: '王五' })).toBe('王五')
    expect(cellText({ formula: 'B1', result: 13912345678 })).toBe('13912345678')
    expect(cellText(new Date(Date.UTC(1985, 4, 20)))).toBe('1985-05-20')
    expect(cellText({ error: '#N/A' })).toBe('')
  })

  it('reads Excel serial dates and the ways dates are typed', () => {
    expect(readDate('31187')).toBe('1985-05-20')
    expect(readDate('1985/5/20')).toBe('1985-05-20')
    expect(readDate('1985年5月20日')).toBe('1985-05-20')
    expect(readDate('去年')).toBeNull()
    expect(readBudgetYuan('300万')).toBe(3_000_000)
    expect(readBudgetYuan('300')).toBe(3_000_000)
    expect(readBudgetYuan('3,000,000元')).toBe(3_000_000)
  })

  it('streams a workbook: numeric phones, dates, formulas, and a merged 经纪人 column filled down', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('客户')
    ws.addRow(['姓名', '手机', '生日', '经纪人'])
    ws.addRow(['张三', 13912345678, new Date(Date.UTC(1985, 4, 20)), '王芳'])
    ws.addRow([{ formula: '"李"&"四"', result: '李四' }, 13912345679, null, null])
    ws.addRow(['赵六', '13912345670', null, null])
    ws.mergeCells('D2:D4')
    const rows = await rowsOf(Buffer.from(await wb.xlsx.writeBuffer()))
    expect(rows.map((r) => r.cells)).toEqual([
      ['姓名', '手机', '生日', '经纪人'],
      ['张三', '13912345678', '1985-05-20', '王芳'],
      ['李四', '13912345679', '', '王芳'],
      ['赵六', '13912345670', '', '王芳'],
    ])
  })
})

describe('a row checked', () => {
  const mapping = { '0': 'name', '1': 'phone', '2': 'gender', '3': 'age', '4': 'owner' } as const
  const owners = (n: string) => (n === '王芳' ? 7 : undefined)
  it('refuses naming the field: blank name, bad phone, unknown value, out of range, unknown agent', () => {
    const refusal = (cells: string[]) => {
      const r = checkImportRow(cells, mapping, '2026-12-01', owners)
      return r.ok ? null : r.refusal
    }
    expect(refusal(['', '13912345678', '', '', ''])).toMatchObject({ field: 'name', reason: 'blank_name' })
    expect(refusal(['张三', '1391234', '', '', ''])).toMatchObject({ field: 'phone', reason: 'phone_invalid' })
    expect(refusal(['张三', '13912345678', '未知', '', ''])).toMatchObject({ field: 'gender', reason: 'unknown_value' })
    expect(refusal(['张三', '13912345678', '男', '150', ''])).toMatchObject({ field: 'age', reason: 'out_of_range' })
    expect(refusal(['张三', '13912345678', '男', '40', '李雷'])).toMatchObject({ field: 'owner', reason: 'unknown_owner' })
    const ok = checkImportRow(['张三', '139 1234 5678', '女士', '40岁', '王芳'], mapping, '2026-12-01', owners)
    expect(ok.ok && ok.value).toMatchObject({ name: '张三', gender: 'female', age: 40, ownerId: 7, sourceChannel: 'other', phones: [{ e164: '+8613912345678' }] })
  })

  it('reads a workbook whose sheets come before its shared strings (as Excel saves them) without writing anything to a temp folder', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('客户')
    ws.addRow(['姓名', '手机'])
    for (let i = 0; i < 200; i++) ws.addRow([`客户${i}`, 13900000000 + i])
    // a second book with numbers only: no shared strings part at all
    const numbers = new ExcelJS.Workbook()
    numbers.addWorksheet('号码').addRow([13912345678, 13912345679])
    const files = [Buffer.from(await wb.xlsx.writeBuffer()), Buffer.from(await numbers.xlsx.writeBuffer())]
    const names = (b: Buffer) => zipEntries(b)!.map((e) => e.name)
    // the case exceljs' streaming reader spills: a sheet before the shared strings, or no shared strings
    expect(names(files[0]!).indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names(files[0]!).indexOf('xl/sharedStrings.xml'))
    expect(names(files[1]!)).not.toContain('xl/sharedStrings.xml')

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-import-tmp-'))
    const before = process.env.TMPDIR
    process.env.TMPDIR = tmp
    try {
      const seen: string[][] = []
      const read: SheetRow[][] = []
      for (const file of files) {
        const rows: SheetRow[] = []
        for await (const r of sheetRows(file)) {
          rows.push(r)
          seen.push(fs.readdirSync(tmp))
        }
        read.push(rows)
      }
      expect(read[0]).toHaveLength(201)
      expect(read[0]![200]!.cells).toEqual(['客户199', '13900000199'])
      expect(read[1]!.map((r) => r.cells)).toEqual([['13912345678', '13912345679']])
      // while the rows streamed, nothing of the sheet was on the disk
      expect(seen.filter((s) => s.length > 0)).toEqual([])
    } finally {
      // assigning undefined would leave the text "undefined" as every later test's temp folder
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
