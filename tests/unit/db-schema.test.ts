import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../electron/host/db/migrate'
import { tempDir } from '../helpers/temp-host'

// electron/host/db/schema.ts (Kysely's DB interface) is written by hand beside the migrations.
// This reads its declarations with the TypeScript parser and holds them against a freshly
// migrated database: the same tables and columns, compatible types, null where the column takes
// null, Generated only where the database fills the value in, and literal unions equal to the
// column's CHECK (… IN (…)) list.

const SCHEMA_FILE = path.resolve(__dirname, '../../electron/host/db/schema.ts')

/** A column as the TypeScript interface declares it. */
interface TsColumn {
  generated: boolean
  nullable: boolean
  /** the value types the declaration admits, besides null */
  bases: Set<'number' | 'string' | 'other'>
  /** the string literals, when the declaration is a union of them */
  literals: string[] | null
}

/** A column as the migrated database has it. */
interface SqlColumn {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}

/** The DB interface: table name -> column name -> declaration. */
function readSchemaFile(): Map<string, Map<string, TsColumn>> {
  const source = ts.createSourceFile(SCHEMA_FILE, fs.readFileSync(SCHEMA_FILE, 'utf8'), ts.ScriptTarget.ES2022, true)
  const interfaces = new Map<string, ts.InterfaceDeclaration>()
  const aliases = new Map<string, ts.TypeNode>()
  for (const st of source.statements) {
    if (ts.isInterfaceDeclaration(st)) interfaces.set(st.name.text, st)
    if (ts.isTypeAliasDeclaration(st)) aliases.set(st.name.text, st.type)
  }
  const describe = (node: ts.TypeNode, into: TsColumn): void => {
    if (ts.isUnionTypeNode(node)) return node.types.forEach((t) => describe(t, into))
    if (ts.isParenthesizedTypeNode(node)) return describe(node.type, into)
    if (ts.isLiteralTypeNode(node)) {
      if (node.literal.kind === ts.SyntaxKind.NullKeyword) into.nullable = true
      else if (ts.isStringLiteral(node.literal)) {
        into.bases.add('string')
        into.literals = [...(into.literals ?? []), node.literal.text]
      } else if (ts.isNumericLiteral(node.literal)) into.bases.add('number')
      else into.bases.add('other')
      return
    }
    if (node.kind === ts.SyntaxKind.NumberKeyword) return void into.bases.add('number')
    if (node.kind === ts.SyntaxKind.StringKeyword) return void into.bases.add('string')
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const name = node.typeName.text
      if (name === 'Generated' && node.typeArguments?.length === 1) {
        into.generated = true
        return describe(node.typeArguments[0]!, into)
      }
      const alias = aliases.get(name)
      if (alias) return describe(alias, into)
    }
    into.bases.add('other')
  }
  const db = interfaces.get('DB')
  if (!db) throw new Error('schema.ts has no DB interface')
  const tables = new Map<string, Map<string, TsColumn>>()
  for (const member of db.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type) || !ts.isIdentifier(member.type.typeName)) {
      throw new Error(`DB.${member.name?.getText(source)} is not a reference to a table interface`)
    }
    const table = interfaces.get(member.type.typeName.text)
    if (!table) throw new Error(`DB.${member.name.getText(source)}: no interface ${member.type.typeName.text} in schema.ts`)
    const columns = new Map<string, TsColumn>()
    for (const col of table.members) {
      if (!ts.isPropertySignature(col) || !col.type) throw new Error(`${table.name.text}: ${col.getText(source)} is not a column`)
      const c: TsColumn = { generated: false, nullable: false, bases: new Set(), literals: null }
      describe(col.type, c)
      columns.set(col.name.getText(source), c)
    }
    tables.set(member.name.getText(source), columns)
  }
  return tables
}

/** The TypeScript value type an SQLite column type maps to (STRICT tables: INTEGER, REAL, TEXT, BLOB, ANY). */
function baseOf(sqlType: string): 'number' | 'string' | 'other' {
  switch (sqlType.toUpperCase()) {
    case 'INTEGER':
    case 'REAL':
      return 'number'
    case 'TEXT':
      return 'string'
    default:
      return 'other'
  }
}

/** The values a column's CHECK (column IN (...)) allows, from the table's SQL; null when it has no such check. */
function checkedValues(tableSql: string, column: string): string[] | null {
  const m = new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(tableSql)
  if (!m) return null
  return m[1]!.split(',').map((v) => v.trim().replace(/^'(.*)'$/, '$1'))
}

let dir: string
let db: InstanceType<typeof Database>
let declared: Map<string, Map<string, TsColumn>>

beforeAll(() => {
  dir = tempDir('keyuan-schema-')
  db = new Database(path.join(dir, 's.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'5a'.repeat(32)}'"`)
  db.pragma('foreign_keys = ON')
  migrate(db)
  declared = readSchemaFile()
})
afterAll(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function migratedTables(): Array<{ name: string; sql: string }> {
  return db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string; sql: string }>
}

describe('schema.ts against the migrated database', () => {
  it('declares exactly the tables the migrations create', () => {
    expect([...declared.keys()].sort()).toEqual(migratedTables().map((t) => t.name))
  })

  it('declares exactly the columns of each table', () => {
    const problems: string[] = []
    for (const t of migratedTables()) {
      const inDb = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t.name) as string[]).sort()
      const inTs = [...(declared.get(t.name)?.keys() ?? [])].sort()
      for (const c of inDb) if (!inTs.includes(c)) problems.push(`${t.name}.${c} is in the database, not in schema.ts`)
      for (const c of inTs) if (!inDb.includes(c)) problems.push(`${t.name}.${c} is in schema.ts, not in the database`)
    }
    expect(problems).toEqual([])
  })

  it('gives each column a compatible type, null exactly where the column takes null, and Generated only where the database fills it in', () => {
    const problems: string[] = []
    for (const t of migratedTables()) {
      const columns = db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`).all(t.name) as SqlColumn[]
      // an INTEGER PRIMARY KEY alone is the rowid: SQLite numbers it
      const rowid = columns.filter((c) => c.pk > 0).length === 1 && columns.some((c) => c.pk === 1 && c.type.toUpperCase() === 'INTEGER') && !/WITHOUT ROWID/i.test(t.sql)
      for (const c of columns) {
        const d = declared.get(t.name)?.get(c.name)
        if (!d) continue
        const at = `${t.name}.${c.name}`
        const base = baseOf(c.type)
        if (d.bases.size !== 1 || !d.bases.has(base)) problems.push(`${at}: ${c.type} column declared as ${[...d.bases].join(' | ')}`)
        const takesNull = c.notnull === 0 && c.pk === 0
        if (takesNull !== d.nullable) problems.push(`${at}: the column ${takesNull ? 'takes' : 'refuses'} null, the declaration ${d.nullable ? 'has' : 'lacks'} it`)
        const filledIn = c.dflt_value !== null || (rowid && c.pk === 1)
        if (d.generated && !filledIn) problems.push(`${at}: Generated, but the column has no default`)
        if (d.literals) {
          const allowed = checkedValues(t.sql, c.name)
          if (!allowed || [...allowed].sort().join() !== [...d.literals].sort().join()) {
            problems.push(`${at}: declared as ${d.literals.join(' | ')}, the column checks ${allowed?.join(', ') ?? 'nothing'}`)
          }
        }
      }
    }
    expect(problems).toEqual([])
  })
})
