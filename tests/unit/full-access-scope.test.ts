import { describe, expect, it } from 'vitest'
import { clientAccess, fullAccessScope, type ClientOwnership, type Viewer } from '@shared/domain/client-access'
import { ROLES } from '@shared/domain/roles'

/** Whether a client falls in a scope, read the way the search query reads it. */
function inScope(viewer: Viewer, c: ClientOwnership): boolean {
  const scope = fullAccessScope(viewer)
  if (scope === 'all' || scope === 'none') return scope === 'all'
  return c.ownerId !== null && (c.ownerId === scope.ownerId || (scope.team !== null && c.ownerTeam === scope.team))
}

describe('fullAccessScope', () => {
  // the search filters phone digits by the scope: it must say exactly what clientAccess says
  it('selects exactly the clients clientAccess gives in full, for every role', () => {
    const owners: ClientOwnership[] = [
      { ownerId: 7, ownerTeam: '一组' },
      { ownerId: 7, ownerTeam: null },
      { ownerId: 8, ownerTeam: '一组' },
      { ownerId: 8, ownerTeam: '二组' },
      { ownerId: 9, ownerTeam: null },
      { ownerId: null, ownerTeam: null },
    ]
    for (const role of ROLES) {
      for (const team of ['一组', null]) {
        const viewer: Viewer = { staffId: 7, role, team }
        for (const c of owners) expect(inScope(viewer, c), `${role} ${team} ${JSON.stringify(c)}`).toBe(clientAccess(viewer, c) === 'full')
      }
    }
  })
})
