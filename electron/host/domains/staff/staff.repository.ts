import { sql, type Kysely, type Selectable } from 'kysely'
import type { z } from 'zod'
import type { StaffListInput, StaffRow, StaffSelf } from '@shared/contract/staff'
import type { Role } from '@shared/domain/roles'
import type { DB, StaffTable } from '../../db/schema'

export type StaffRecord = Selectable<StaffTable>

/** Who a staff member is, as the signed-in user sees themselves. */
export function toStaffSelf(r: StaffRecord): StaffSelf {
  return { id: r.id, username: r.username, name: r.name, role: r.role as Role, team: r.team, region: r.region }
}

export function toStaffRow(r: StaffRecord): StaffRow {
  return {
    ...toStaffSelf(r),
    phone: r.phone,
    active: r.active === 1,
    leftAt: r.left_at,
    createdAt: r.created_at,
    version: r.version,
  }
}

const SORT_COLUMNS = {
  id: 'id',
  username: 'username',
  name: 'name',
  role: 'role',
  team: 'team',
  region: 'region',
  active: 'active',
  createdAt: 'created_at',
} as const

export async function listStaff(db: Kysely<DB>, f: z.output<typeof StaffListInput>) {
  let q = db.selectFrom('staff')
  if (f.role) q = q.where('role', '=', f.role)
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0)
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) =>
      eb.or([
        eb('name', 'like', sql<string>`${like} ESCAPE '\\'`),
        eb('username', 'like', sql<string>`${like} ESCAPE '\\'`),
      ]),
    )
  }
  const sort = f.sort ?? { field: 'id', dir: 'asc' }
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy(SORT_COLUMNS[sort.field], sort.dir).orderBy('id').offset(f.offset).limit(f.limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows: rows.map(toStaffRow), total: total.n }
}

export async function findStaffById(db: Kysely<DB>, id: number): Promise<StaffRecord | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findStaffByUsername(db: Kysely<DB>, username: string): Promise<StaffRecord | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst()
}

export async function countStaff(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('staff').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return r.n
}

export interface NewStaff {
  username: string
  name: string
  role: Role
  team: string | null
  region: string | null
  phone: string | null
  passwordHash: string
  now: string
}

export async function insertStaff(db: Kysely<DB>, s: NewStaff): Promise<StaffRecord> {
  return db
    .insertInto('staff')
    .values({
      username: s.username,
      name: s.name,
      role: s.role,
      team: s.team,
      region: s.region,
      phone: s.phone,
      active: 1,
      left_at: null,
      password_hash: s.passwordHash,
      created_at: s.now,
      updated_at: s.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Active admins other than this one (the branch keeps at least one). */
export async function countOtherActiveAdmins(db: Kysely<DB>, exceptId: number): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow()
  return r.n
}

/** What an admin may change of an account. */
export interface StaffChanges {
  name?: string | undefined
  role?: Role | undefined
  team?: string | null | undefined
  region?: string | null | undefined
  phone?: string | null | undefined
}

/** Saves an account's changes if it is still at `version` (the caller checked it in this transaction). */
export async function updateStaff(db: Kysely<DB>, id: number, version: number, changes: StaffChanges, now: string): Promise<StaffRecord> {
  return db
    .updateTable('staff')
    .set({ ...changes, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Deactivates (leftAt set) or reactivates (leftAt null) an account. */
export async function setStaffActive(db: Kysely<DB>, id: number, active: boolean, version: number, now: string): Promise<StaffRecord> {
  return db
    .updateTable('staff')
    .set({ active: active ? 1 : 0, left_at: active ? null : now, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Stores a new password hash. */
export async function setPasswordHash(db: Kysely<DB>, id: number, passwordHash: string, version: number, now: string): Promise<void> {
  await db.updateTable('staff').set({ password_hash: passwordHash, updated_at: now, version: version + 1 }).where('id', '=', id).execute()
}
