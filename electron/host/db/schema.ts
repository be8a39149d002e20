import type { Generated } from 'kysely'

/** Kysely's view of the tables. Mirrors the migrations; booleans are 0/1 integers in SQLite. */
export interface StaffTable {
  id: Generated<number>
  username: string
  name: string
  role: string
  team: string | null
  region: string | null
  phone: string | null
  active: number
  left_at: string | null
  password_hash: string
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface SessionsTable {
  token_hash: string
  staff_id: number
  created_at: string
  expires_at: string
  last_seen_at: string
  address: string | null
  revoked_at: string | null
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: string
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor_id: number | null
  actor_name: string | null
  action: string
  target: string | null
  detail: string
  address: string | null
  prev_hash: string
  hash: string
}

export interface SchemaVersionTable {
  version: number
  name: string
  applied_at: string
}

export interface DB {
  staff: StaffTable
  sessions: SessionsTable
  settings: SettingsTable
  audit_log: AuditLogTable
  schema_version: SchemaVersionTable
}
