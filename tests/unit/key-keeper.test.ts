import { describe, expect, it } from 'vitest'
import { KeyKeeperRefused, parentKeyKeeper, type ParentChannel } from '../../electron/host/db/key-keeper'

/** A channel whose owner answers with `answer` (or never, for null), recording what it was asked. */
function owner(answer: ((m: { id: number; op: string }) => { ok: boolean; why?: string }) | null) {
  const asked: unknown[] = []
  let listener: (m: unknown) => void = () => {}
  const channel: ParentChannel = {
    post: (m) => {
      asked.push(m)
      const request = m as { id: number; op: string }
      if (answer) setImmediate(() => listener({ type: 'db-key-done', id: request.id, ...answer(request) }))
    },
    onMessage: (fn) => void (listener = fn),
  }
  return { channel, asked }
}

describe('parentKeyKeeper (the host asks its key owner)', () => {
  it('sends each step with its own id and resolves on the owner’s ok', async () => {
    const o = owner(() => ({ ok: true }))
    const keeper = parentKeyKeeper(o.channel)
    await keeper.stage('c'.repeat(64))
    await keeper.commit()
    await keeper.drop()
    expect(o.asked).toEqual([
      { type: 'db-key', id: 1, op: 'stage', keyHex: 'c'.repeat(64) },
      { type: 'db-key', id: 2, op: 'commit' },
      { type: 'db-key', id: 3, op: 'drop' },
    ])
  })

  it('a refusal or an owner that never answers is a KeyKeeperRefused', async () => {
    const refusing = parentKeyKeeper(owner(() => ({ ok: false, why: 'the OS key store is not available' })).channel)
    await expect(refusing.stage('c'.repeat(64))).rejects.toThrow(new KeyKeeperRefused('the OS key store is not available'))
    const silent = owner(null)
    const keeper = parentKeyKeeper(silent.channel, 20)
    const staged = keeper.stage('c'.repeat(64))
    await expect(staged).rejects.toBeInstanceOf(KeyKeeperRefused)
  })
})
