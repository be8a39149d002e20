import { describe, expect, it } from 'vitest'
import { APPROVER_ROLES, planFor, type ApproverRole } from '@shared/domain/approval-steps'
import { mayServeClient, seesDeal, seesViewing, type Viewer } from '@shared/domain/client-access'
import { outranks, ROLES, type Role } from '@shared/domain/roles'

describe('planFor: the steps a request is stored with', () => {
  const cases: Array<[Role, ApproverRole[], ApproverRole[]]> = [
    // an agent's request keeps the steps as set
    ['agent', ['manager'], ['manager']],
    ['agent', ['senior_agent', 'senior_agent', 'manager'], ['senior_agent', 'senior_agent', 'manager']],
    // the default single manager step: a manager's request goes to the admin
    ['manager', ['manager'], ['admin']],
    ['manager', ['manager', 'manager'], ['admin']],
    ['manager', ['senior_agent', 'manager'], ['senior_agent', 'admin']],
    ['manager', ['manager', 'admin'], ['admin']],
    // nothing above the requester: the role above decides a last step
    ['manager', ['senior_agent'], ['senior_agent', 'admin']],
    ['senior_agent', ['senior_agent'], ['manager']],
    ['senior_agent', ['senior_agent', 'senior_agent', 'manager'], ['manager']],
    ['senior_agent', ['senior_agent', 'admin'], ['manager', 'admin']],
    ['senior_agent', ['manager', 'manager'], ['manager', 'manager']],
  ]
  for (const [requester, steps, plan] of cases) {
    it(`${requester}: ${steps.join(' > ')} -> ${plan.join(' > ')}`, () => expect(planFor(steps, requester)).toEqual(plan))
  }

  it('never leaves a requester who may request to their own role, and always has a step above them', () => {
    const all: ApproverRole[][] = []
    const grow = (prefix: ApproverRole[]) => {
      if (prefix.length > 0) all.push(prefix)
      if (prefix.length < 3) for (const r of APPROVER_ROLES) grow([...prefix, r])
    }
    grow([])
    for (const requester of ['agent', 'senior_agent', 'manager'] as const) {
      for (const steps of all) {
        const plan = planFor(steps, requester)
        expect(plan).not.toContain(requester)
        expect(plan.some((r) => outranks(r, requester))).toBe(true)
        expect(plan.length).toBeLessThanOrEqual(steps.length + 1)
      }
    }
  })
})

describe('who sees what of a client', () => {
  const viewer = (role: Role, staffId = 1, team: string | null = '一组'): Viewer => ({ staffId, role, team })
  const colleaguesClient = { ownerId: 2, ownerTeam: '二组' }
  const teamClient = { ownerId: 3, ownerTeam: '一组' }

  it('the desk serves every client; agents their own, seniors their team, managers all', () => {
    expect(mayServeClient(viewer('front_desk'), colleaguesClient)).toBe(true)
    expect(mayServeClient(viewer('agent'), colleaguesClient)).toBe(false)
    expect(mayServeClient(viewer('agent', 2), colleaguesClient)).toBe(true)
    expect(mayServeClient(viewer('senior_agent'), teamClient)).toBe(true)
    expect(mayServeClient(viewer('senior_agent'), colleaguesClient)).toBe(false)
    expect(mayServeClient(viewer('manager'), colleaguesClient)).toBe(true)
  })

  it('a viewing’s feedback: its agent and full access, not the desk', () => {
    expect(seesViewing(viewer('agent'), { agentId: 1, ...colleaguesClient })).toBe(true)
    expect(seesViewing(viewer('agent'), { agentId: 2, ...colleaguesClient })).toBe(false)
    expect(seesViewing(viewer('front_desk'), { agentId: 2, ...colleaguesClient })).toBe(false)
    expect(seesViewing(viewer('senior_agent'), { agentId: 3, ...teamClient })).toBe(true)
  })

  it('a deal: its agent, the desk, managers and full access to the buyer; never admins', () => {
    expect(seesDeal(viewer('agent'), { agentId: 1, ...colleaguesClient })).toBe(true)
    expect(seesDeal(viewer('agent'), { agentId: 2, ...colleaguesClient })).toBe(false)
    expect(seesDeal(viewer('senior_agent'), { agentId: 3, ...teamClient })).toBe(true)
    expect(seesDeal(viewer('front_desk'), { agentId: 2, ...colleaguesClient })).toBe(true)
    expect(seesDeal(viewer('manager'), { agentId: 2, ...colleaguesClient })).toBe(true)
    expect(seesDeal(viewer('admin'), { agentId: 2, ...colleaguesClient })).toBe(false)
  })

  it('ranks the roles in one order', () => {
    expect(ROLES.filter((r) => outranks('manager', r))).toEqual(['front_desk', 'agent', 'senior_agent'])
    expect(ROLES.filter((r) => outranks(r, 'manager'))).toEqual(['admin'])
  })
})
