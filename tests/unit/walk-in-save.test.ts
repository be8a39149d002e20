import { describe, expect, it } from 'vitest'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { cardNotGiven, saveWalkIn, type WalkInCalls } from '../../renderer/src/features/front-desk/walk-in-save'

const cardTaken: ApiErrorShape = { code: 'CONFLICT', message: 'card in use', reason: 'card_in_use' }
const offline: ApiErrorShape = { code: 'OFFLINE', message: 'host unreachable' }

/** The two calls as the host would answer them, counting what was sent. */
function host(answers: { create?: Result<{ id: number; name: string }>; issue: Array<Result<unknown>> }) {
  const sent = { create: 0, issue: [] as Array<[number, string]> }
  const calls: WalkInCalls = {
    create: async () => {
      sent.create++
      return answers.create ?? { ok: true, value: { id: 41, name: '王先生' } }
    },
    issue: async (clientId, uid) => {
      sent.issue.push([clientId, uid])
      return answers.issue.shift() ?? { ok: true, value: {} }
    },
  }
  return { calls, sent }
}

describe('散客登记 with a card', () => {
  it('a card the host refuses after the client was created is no "registered with card": the client exists, the card step stays', async () => {
    const { calls, sent } = host({ issue: [{ ok: false, error: cardTaken }] })
    const r = await saveWalkIn(calls, 'A1B2C3D4', null)
    expect(r).toEqual({ ok: true, value: { client: { id: 41, name: '王先生' }, card: { failed: cardTaken } } })
    expect(r.ok && cardNotGiven(r.value)).toBe(true)
    expect(sent).toEqual({ create: 1, issue: [[41, 'A1B2C3D4']] })
  })

  it('issuing again gives the card to the client already registered: no second client', async () => {
    const { calls, sent } = host({ issue: [{ ok: false, error: offline }, { ok: true, value: {} }] })
    const first = await saveWalkIn(calls, 'A1B2C3D4', null)
    if (!first.ok) throw new Error('the client was created')
    expect(cardNotGiven(first.value)).toBe(true)
    const again = await saveWalkIn(calls, 'A1B2C3D4', first.value.client)
    expect(again).toEqual({ ok: true, value: { client: { id: 41, name: '王先生' }, card: 'issued' } })
    expect(again.ok && cardNotGiven(again.value)).toBe(false)
    expect(sent).toEqual({ create: 1, issue: [[41, 'A1B2C3D4'], [41, 'A1B2C3D4']] })
  })

  it('a refused registration is the save’s error and no card is tried', async () => {
    const dup: ApiErrorShape = { code: 'DUPLICATE', message: 'phone on file', params: { clientId: 7 } }
    const { calls, sent } = host({ create: { ok: false, error: dup }, issue: [] })
    expect(await saveWalkIn(calls, 'A1B2C3D4', null)).toEqual({ ok: false, error: dup })
    expect(sent.issue).toEqual([])
  })

  it('without a card the registration is the whole save', async () => {
    const { calls, sent } = host({ issue: [] })
    const r = await saveWalkIn(calls, null, null)
    expect(r).toEqual({ ok: true, value: { client: { id: 41, name: '王先生' }, card: 'none' } })
    expect(r.ok && cardNotGiven(r.value)).toBe(false)
    expect(sent.issue).toEqual([])
  })
})
