import type { Updateable } from 'kysely'
import { birthDateProblem, birthMonthDay } from '@shared/domain/birthdays'
import { readIdNumber } from '@shared/domain/id-number'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { ClientsTable } from '../../db/schema'

/** What a client had before the save (null on create). */
interface Before {
  kind: string
  id_number: string | null
  birth_date: string | null
  gender: string | null
}

/** The fields of a save that bear on the ID number. */
interface Typed {
  idNumber?: string | null | undefined
  birthDate?: string | null | undefined
  gender?: string | null | undefined
}

/**
 * Whether a value after the save counts as typed by someone: it does unless it is empty, or it is
 * unchanged and is what the previous ID number gave (then it was read from that number and follows
 * the new one).
 */
function typedValue(after: string | null, before: string | null | undefined, fromOldId: string | undefined): boolean {
  if (after === null) return false
  return !(after === before && after === fromOldId)
}

/**
 * The columns a save writes for a 居民身份证号 (issue #20): the number, normalised, and — when no
 * birth date or gender was typed — the birth date and gender it carries. A number that fails its
 * check character or has no real (or a future) birth date is a field error on idNumber; a typed
 * birth date or gender is never overwritten. Organisations have no ID number.
 */
export function idNumberColumns(before: Before | null, input: Typed & { kind?: string }, now: Date): Updateable<ClientsTable> {
  const kind = input.kind ?? before?.kind
  const typedId = input.idNumber === undefined ? undefined : input.idNumber?.trim() || null
  if (typedId && kind !== 'person') throw new ApiFailure('VALIDATION', 'only a person has an ID number', 'idNumber', 'id_person_only')
  const cols: Updateable<ClientsTable> = {}
  let idNumber = before?.id_number ?? null
  if (typedId !== undefined) {
    if (typedId === null) idNumber = null
    else {
      const read = readIdNumber(typedId)
      if (!read.ok) throw new ApiFailure('VALIDATION', `ID number: ${read.problem}`, 'idNumber', read.problem)
      if (birthDateProblem(read.birthDate, branchDay(now))) throw new ApiFailure('VALIDATION', 'ID number: no real birth date', 'idNumber', 'id_date')
      idNumber = read.idNumber
    }
    cols.id_number = idNumber
  }
  if (idNumber === null) return cols
  const carried = readIdNumber(idNumber)
  if (!carried.ok) return cols
  const old = before?.id_number ? readIdNumber(before.id_number) : null
  const oldCarried = old?.ok ? old : undefined
  const birthAfter = input.birthDate === undefined ? (before?.birth_date ?? null) : input.birthDate || null
  if (!typedValue(birthAfter, before?.birth_date, oldCarried?.birthDate) && birthAfter !== carried.birthDate) {
    cols.birth_date = carried.birthDate
    cols.birth_md = birthMonthDay(carried.birthDate)
  }
  const genderAfter = input.gender === undefined ? (before?.gender ?? null) : input.gender
  if (!typedValue(genderAfter ?? null, before?.gender, oldCarried?.gender) && genderAfter !== carried.gender) cols.gender = carried.gender
  return cols
}
