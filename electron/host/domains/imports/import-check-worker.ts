import { parentPort, type MessagePort } from 'node:worker_threads'
import { branchDay } from '@shared/domain/rules'
import { checkFollowUpRow } from '@shared/domain/follow-up-import-row'
import { checkImportRow } from '@shared/domain/import-row'
import { ApiFailure } from '../../api/api-failure'
import type { CheckedClientRow, CheckedFollowUpRow, CheckThreadSetup, FromCheckThread, ToCheckThread } from './check-thread-protocol'
import { nameFinder } from './name-finder'
import { sheetRows } from './sheet-rows'

/**
 * The check thread of a dry run (started by CheckThread): reads the uploaded file (xlsx streamed,
 * or CSV) and checks each data row on its own (the row's cells: names, phones, enums, dates), off
 * the host's event loop. It sends the rows in batches, in file order, and waits for the host to
 * take them (credits) before reading further, so at most a few batches are ever held. The
 * checks against the book and across rows are the host's (import-check.ts). The thread may be
 * started before its check is known (a spare, at an upload), and kept after a check for the next
 * one: it waits for its `start` message.
 */

/** Data rows a file may have: a branch's book is far smaller; more is a wrong file. */
const MAX_ROWS = 200_000

if (!parentPort) throw new Error('import-check-worker runs as a worker thread')
const port: MessagePort = parentPort
let credits = 0
let wake: (() => void) | null = null

port.on('message', (m: ToCheckThread) => {
  if (m.type === 'start') {
    // the port alone no longer keeps the thread alive: exceljs' reader meeting a broken deflate stream
    // stops without an error or anything pending, and the thread then ends (CheckThread reads that
    // as an unreadable workbook) instead of waiting forever; the port holds it only while it waits to send
    port.unref()
    credits = m.setup.credits
    run(m.setup).then(
      () => {
        // read to the end: the thread may be kept for the next check (CheckThread.dispose), which it waits for
        port.ref()
        post({ type: 'end' })
      },
      (err: unknown) => {
        const error = err instanceof ApiFailure ? err.toShape() : { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) }
        post({ type: 'failed', error })
      },
    )
    return
  }
  // an xlsx is coming (a spare started at its upload): the workbook reader loads while it comes
  if (m.type === 'warm') {
    void import('exceljs')
    return
  }
  credits++
  wake?.()
  wake = null
})

const post = (m: FromCheckThread) => port.postMessage(m)

async function send(m: FromCheckThread): Promise<void> {
  while (credits === 0) {
    port.ref()
    await new Promise<void>((resolve) => (wake = resolve))
    port.unref()
  }
  credits--
  post(m)
}

async function run(setup: CheckThreadSetup): Promise<void> {
  const file = Buffer.from(setup.file.buffer, setup.file.byteOffset, setup.file.byteLength)
  const staffOf = nameFinder(setup.staff)
  const today = branchDay(new Date(setup.now))
  let headers: string[] | null = null
  let rows = 0
  let clients: CheckedClientRow[] = []
  let followUps: CheckedFollowUpRow[] = []
  const phoneCol = Object.entries(setup.mapping).find(([, f]) => f === 'clientPhone')?.[0]
  const flush = async () => {
    if (clients.length > 0) await send({ type: 'clients', rows: clients })
    if (followUps.length > 0) await send({ type: 'followUps', rows: followUps })
    clients = []
    followUps = []
  }
  for await (const { rowNo, cells } of sheetRows(file)) {
    if (cells.every((c) => c === '')) continue
    // the header row: the host read it already (the mapping is of its columns)
    if (!headers) {
      headers = cells
      continue
    }
    rows++
    if (rows > MAX_ROWS) throw new ApiFailure('VALIDATION', `more than ${MAX_ROWS} rows`, 'fileBase64', 'too_many_rows', { maximum: MAX_ROWS })
    const raw = JSON.stringify(headers.map((_, i) => cells[i] ?? ''))
    if (setup.kind === 'clients') {
      const check = checkImportRow(cells, setup.mapping, today, staffOf)
      clients.push({ rowNo, raw, check, valueJson: check.ok ? JSON.stringify(check.value) : null })
    } else {
      followUps.push({ rowNo, raw, check: checkFollowUpRow(cells, setup.mapping, setup.now, staffOf), phoneCell: phoneCol === undefined ? '' : (cells[Number(phoneCol)] ?? '') })
    }
    if (clients.length + followUps.length >= setup.batchRows) await flush()
  }
  await flush()
}
