import { ORDINARY, TableWrites, WRITE_TARGET } from './sign-in-writes'

/**
 * What a sales-control board (board.get) is read from: the units and buildings, their live deals
 * and payments, the project, the colours (settings), the agents' names and teams (staff).
 */
const BOARD_TABLES = new Set(['units', 'buildings', 'unit_transactions', 'payments', 'projects', 'settings', 'staff'])
/** Of a deal's client the board shows the name, and the owner (whose team decides what a viewer sees). */
const CLIENT_COLUMNS_SHOWN = /\b(name|owner_id)\b/i
const NAMES_BOARD_TABLE = /\b(units|buildings|unit_transactions|payments|projects|settings|staff|clients)\b/i

/**
 * Whether `sql` may change what a board shows: a write to one of its tables, a client's insert or
 * delete, or an update of clients that names a name or an owner column anywhere (a follow-up
 * updates its client's dates many times a minute and changes no board). Anything else that is
 * not plain DML (DDL …) and names one of the tables counts too.
 */
export function writesBoard(sql: string): boolean {
  for (const m of sql.matchAll(WRITE_TARGET)) {
    const table = m[1]!.toLowerCase()
    if (BOARD_TABLES.has(table)) return true
    if (table === 'clients' && (!/^update\b/i.test(m[0]) || CLIENT_COLUMNS_SHOWN.test(sql))) return true
  }
  return !ORDINARY.test(sql) && NAMES_BOARD_TABLE.test(sql)
}

/** The writer's changes to what boards show: a board read before the last may be out of date (BoardCache). */
export class BoardWrites extends TableWrites {
  constructor() {
    super(writesBoard)
  }
}
