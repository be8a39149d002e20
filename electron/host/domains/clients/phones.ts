import type { Kysely } from 'kysely'
import { normalizeClientPhone } from '../../../../shared/domain/client-phone'
import { ApiFailure } from '../../api/api-failure'
import type { DB } from '../../db/schema'
import { clientsByPhones, findClient, type PhoneRow } from './clients.repository'

/** Normalises the phones of an input; a bad or repeated one is a VALIDATION error on its field. */
export function normalizePhones(inputs: ReadonlyArray<{ number: string; label?: string | null | undefined }>): PhoneRow[] {
  const seen = new Set<string>()
  return inputs.map((p, i) => {
    const r = normalizeClientPhone(p.number)
    const field = `phones.${i}.number`
    if (!r.ok) throw new ApiFailure('VALIDATION', `${field}: not a valid phone number`, field, r.reason)
    if (seen.has(r.phone.e164)) throw new ApiFailure('VALIDATION', `${field}: entered twice`, field, 'phone_repeated')
    seen.add(r.phone.e164)
    return { e164: r.phone.e164, digits: r.phone.digits, display: r.phone.display, kind: r.phone.kind, label: p.label?.trim() || null }
  })
}

/** 防撞单: refuses phones that belong to another live client, naming that client and its owner. */
export async function refuseTakenPhones(db: Kysely<DB>, phones: readonly PhoneRow[], exceptClientId?: number) {
  const taken = (await clientsByPhones(db, phones.map((p) => p.e164))).filter((t) => t.id !== exceptClientId)
  const first = taken[0]
  if (!first) return
  const index = phones.findIndex((p) => p.e164 === first.e164)
  const owner = await findClient(db, first.id)
  throw new ApiFailure(
    'DUPLICATE',
    `this phone belongs to client ${owner?.code} (${owner?.name})`,
    `phones.${index}.number`,
    'phone_taken',
    {
      clientId: first.id,
      code: owner?.code ?? '',
      name: owner?.name ?? '',
      ownerName: owner?.owner_name ?? '',
      protectedUntil: owner?.protected_until ?? '',
    },
  )
}
