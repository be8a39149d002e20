import { normalizeClientPhone } from '@shared/domain/client-phone'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { viewerOf } from './client-shape'
import { clientsByPhones, findClient, type PhoneRow } from './clients.repository'
import { chargeAndAudit, type PhoneLookupLimiter } from './phone-lookups'

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

/**
 * 防撞单: refuses phones that belong to another live client, naming that client, its owner and
 * protection (never its numbers). Each number is a lookup: charged to the caller's allowance
 * and audited like clients.checkDuplicate; `exceptClientId`'s own numbers are no lookup.
 */
export async function refuseTakenPhones(
  ctx: HandlerContext,
  limiter: PhoneLookupLimiter,
  phones: readonly PhoneRow[],
  via: 'create' | 'update',
  exceptClientId?: number,
) {
  const viewer = viewerOf(requireSession(ctx))
  const holders = new Map((await clientsByPhones(ctx.db, phones.map((p) => p.e164))).map((h) => [h.e164, h]))
  const asked = phones.filter((p) => exceptClientId === undefined || holders.get(p.e164)?.id !== exceptClientId)
  chargeAndAudit(
    ctx,
    limiter,
    viewer,
    via,
    asked.map((p) => {
      const h = holders.get(p.e164)
      return { e164: p.e164, display: p.display, client: h ? { id: h.id, ownerId: h.owner_id, ownerTeam: h.owner_team } : null }
    }),
  )
  const index = phones.findIndex((p) => {
    const h = holders.get(p.e164)
    return h !== undefined && h.id !== exceptClientId
  })
  const first = index < 0 ? undefined : holders.get(phones[index]!.e164)
  if (!first) return
  const owner = await findClient(ctx.db, first.id)
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
