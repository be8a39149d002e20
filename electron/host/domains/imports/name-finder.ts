import { normalizeText } from '@shared/domain/text-kinds'
import type { NamedStaff } from './check-thread-protocol'

/**
 * Finds a colleague by the name in a cell: a name one colleague alone has, else a sign-in name
 * (two colleagues of one name: the row must use the sign-in name).
 */
export function nameFinder(staff: readonly NamedStaff[]): (name: string) => number | undefined {
  const byName = new Map<string, number | null>()
  const byUsername = new Map<string, number>()
  for (const s of staff) {
    const key = normalizeText('name', s.name)
    byName.set(key, byName.has(key) ? null : s.id)
    byUsername.set(s.username.toLowerCase(), s.id)
  }
  return (name) => byName.get(name) ?? byUsername.get(name.toLowerCase())
}
