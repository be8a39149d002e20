import { useCallback } from 'react'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { NavCount, useNavCount } from '../../app/nav-count'

// one count for the menu and the inbox page, so answering one updates the menu too
const open = new NavCount()

/** Sets the count of 申请协作 requests waiting for the signed-in person's answer (from a fresh incoming inbox). */
export function setOpenCollabRequests(n: number): void {
  open.set(n)
}

/** How many 申请协作 requests wait for the signed-in person's answer (0 for roles without an inbox), live. */
export function useOpenCollabCount(): number {
  const api = useApi()
  const me = useMe()
  const load = useCallback(async () => {
    const r = await api.try('collab.inbox', { box: 'incoming', offset: 0, limit: 1 })
    return r.ok ? r.value.open : null
  }, [api])
  return useNavCount(open, mayCall(me.role, 'collab.inbox') ? load : null)
}
