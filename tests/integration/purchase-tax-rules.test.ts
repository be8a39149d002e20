import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { DEFAULT_TAX_RATES, purchaseTaxes } from '@shared/domain/purchase-taxes'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// the buyer's tax rates are branch rules (issue #20): national defaults, set by the manager, read by the calculator's users
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agent: ApiClient
let desk: ApiClient

beforeAll(async () => {
  host = await startTempHost()
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'agent')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
})
afterAll(() => host.cleanup())

describe('tax rates as branch rules', () => {
  it('starts at the national defaults, which everyone using the calculator reads', async () => {
    for (const c of [agent, desk]) expect(await c.call('settings.getRules', {})).toMatchObject(DEFAULT_TAX_RATES)
  })

  it('takes a city’s rates from the manager; the calculator’s figures follow them', async () => {
    await manager.call('settings.setRules', { taxDeedAreaThresholdM2: 90, taxDeedSecondLargePermille: 30, taxRegistrationFeeYuan: 550 })
    const rules = await agent.call('settings.getRules', {})
    expect(rules).toMatchObject({ taxDeedAreaThresholdM2: 90, taxDeedSecondLargePermille: 30, taxRegistrationFeeYuan: 550, taxDeedFirstSmallPermille: 10 })
    const t = purchaseTaxes({ priceFen: 2_000_000_00, area: 9500, home: 'second', resale: false, sellerYears: 0, sellerOnlyHome: false }, rules)
    expect(t).toMatchObject({ deedTaxFen: 60_000_00, registrationFen: 550_00, totalFen: 60_550_00 })
  })

  it('refuses a negative, fractional or absurd rate by field, and nobody else sets them', async () => {
    for (const [field, value] of [
      ['taxVatPermille', -1],
      ['taxDeedOtherPermille', 2.5],
      ['taxIncomePermille', 1000],
      ['taxDeedAreaThresholdM2', 0],
    ] as const) {
      expect(await manager.try('settings.setRules', { [field]: value })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } })
    }
    expect(await agent.try('settings.setRules', { taxVatPermille: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agent.call('settings.getRules', {})).toMatchObject({ taxVatPermille: 50, taxDeedOtherPermille: 30, taxIncomePermille: 10 })
  })
})
