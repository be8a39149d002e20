import type { ApiErrorShape, Result } from '@shared/contract/common'

/** The two calls of 散客登记: register the client, give them the swiped card. */
export interface WalkInCalls {
  create(): Promise<Result<{ id: number; name: string }>>
  issue(clientId: number, uid: string): Promise<Result<unknown>>
}

/** A client the walk-in dialog has registered. */
export interface WalkInClient {
  id: number
  name: string
}

/** What one press of the walk-in dialog's save did. */
export interface WalkInSaved {
  client: WalkInClient
  /** no card to give, the card given, or why it was not: the client exists all the same */
  card: 'none' | 'issued' | { failed: ApiErrorShape }
}

/**
 * One press of 散客登记's save: registers the client unless an earlier press did (`registered`),
 * then gives them the card if they came with one. A refused registration is the save's error; a
 * card that could not be given is not: the client is on file, and the dialog stays on the card
 * step to say so and to try the card again.
 */
export async function saveWalkIn(calls: WalkInCalls, cardUid: string | null, registered: WalkInClient | null): Promise<Result<WalkInSaved>> {
  let client = registered
  if (!client) {
    const created = await calls.create()
    if (!created.ok) return created
    client = { id: created.value.id, name: created.value.name }
  }
  if (!cardUid) return { ok: true, value: { client, card: 'none' } }
  const issued = await calls.issue(client.id, cardUid)
  return { ok: true, value: { client, card: issued.ok ? 'issued' : { failed: issued.error } } }
}

/** The card was not given: the dialog stays open on the card step. */
export function cardNotGiven(s: WalkInSaved): s is WalkInSaved & { card: { failed: ApiErrorShape } } {
  return typeof s.card === 'object'
}
