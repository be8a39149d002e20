import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue 16 items 1 and 2, walked as the users would: two agents in two browser contexts answer
// a 申请协作; an agent at the client cap hands clients back; a manager assigns and reassigns.
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })
let serial = 0
// expect.poll gives up after 1 s unless told: a loaded machine takes longer to answer
const POLL = { timeout: 30_000 }

/** A new client recorded over the API by a demo agent; a mobile prefix the demo generator never uses. */
async function clientOf(username: string, name: string): Promise<number> {
  const token = await hostLogin(suite.host.url, username)
  const phone = `1823344${String(++serial).padStart(4, '0')}`
  return (await hostCall<{ id: number }>(suite.host.url, token, 'clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'walk_in' })).id
}

/** Waits until the element has the keyboard focus. */
async function focused(l: Locator) {
  await expect.poll(() => l.evaluate((el) => el === document.activeElement), POLL).toBe(true)
}

/** The error text under the form field holding the input with this id. */
function fieldError(dialog: Locator, inputId: string): Locator {
  return dialog.locator('.ant-form-item', { has: dialog.page().locator(`#${inputId}`) }).locator('.ant-form-item-explain-error')
}

/** The inbox row of a client. */
function inboxRow(page: Page, clientName: string): Locator {
  return page.getByTestId('collab-inbox').locator('tr.ant-table-row', { hasText: clientName })
}

describe('申请协作 and hand-back, in Chromium', () => {
  it('agent2 asks to work agent1’s client; agent1 accepts from the inbox; agent2 then sees it in full and the log names both; a decline needs a reason and reaches agent2', async () => {
    const shared = await clientOf('agent1', '协作演示客户')
    const refused = await clientOf('agent1', '拒绝演示客户')

    const asker = await newPage(suite.browser, 'collab-asker')
    await signIn(asker, 'agent2', { url: `${suite.host.url}/#/clients/${shared}` })
    const profile = asker.getByTestId('client-profile')
    await profile.waitFor()
    await asker.getByRole('button', { name: '申请协作' }).click()
    let dialog = asker.getByRole('dialog', { name: /申请协作/ })
    await focused(dialog.locator('textarea'))
    await asker.keyboard.type('客户周末在我这边看过房')
    await dialog.getByRole('button', { name: '提交申请' }).click()
    await asker.getByText('已向 陈经纪 提交协作申请').waitFor()

    // agent1, in another context: the inbox lists it, waiting
    const owner = await newPage(suite.browser, 'collab-owner')
    await signIn(owner, 'agent1', { url: `${suite.host.url}/#/collab` })
    const row = inboxRow(owner, '协作演示客户')
    await row.waitFor()
    expect(await row.innerText()).toContain('刘经纪')
    expect(await row.innerText()).toContain('待处理')
    await shot(owner, 'collab-10-inbox')
    await row.getByRole('button', { name: '同意', exact: true }).click()
    dialog = owner.getByRole('dialog', { name: '同意 刘经纪 协作跟进 协作演示客户' })
    await focused(dialog.locator('#reason'))
    await owner.keyboard.press('Enter')
    await owner.getByText('已同意 刘经纪 协作跟进 协作演示客户').waitFor()
    await expect.poll(() => row.innerText(), POLL).toContain('已同意')

    // agent2 now sees the client in full and may log follow-ups; the shared log names both
    await asker.reload()
    await profile.waitFor()
    await asker.getByRole('tab', { name: '跟进记录' }).click()
    await asker.getByText('刘经纪 加入协作（与 陈经纪 共同跟进）').waitFor()
    await asker.getByRole('button', { name: '记录跟进' }).first().waitFor()
    // a collaborator works the client, the profile stays the owner's: no edit, blacklist or 流失
    for (const name of ['编辑资料', '加入黑名单', '标记流失']) expect(await profile.getByRole('button', { name }).count(), name).toBe(0)
    await shot(asker, 'collab-11-collaborator-log')

    // a decline: Enter with no reason is refused on the field, Esc closes, then a reason goes to agent2
    await asker.goto(`${suite.host.url}/#/clients/${refused}`)
    await asker.getByRole('button', { name: '申请协作' }).click()
    dialog = asker.getByRole('dialog', { name: /申请协作/ })
    await focused(dialog.locator('textarea'))
    await asker.keyboard.type('客户也联系了我')
    await dialog.getByRole('button', { name: '提交申请' }).click()
    await asker.getByText('已向 陈经纪 提交协作申请').waitFor()

    await owner.getByRole('button', { name: '刷新' }).click()
    const second = inboxRow(owner, '拒绝演示客户')
    await second.waitFor()
    await second.getByRole('button', { name: '拒绝', exact: true }).click()
    dialog = owner.getByRole('dialog', { name: '拒绝 刘经纪 的协作申请' })
    await focused(dialog.locator('#reason'))
    await owner.keyboard.press('Enter')
    expect(await fieldError(dialog, 'reason').innerText()).toBe('拒绝时请说明原因')
    await owner.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await second.innerText()).toContain('待处理')
    await second.getByRole('button', { name: '拒绝', exact: true }).click()
    await focused(dialog.locator('#reason'))
    await owner.keyboard.type('客户要求只由我对接')
    await owner.keyboard.press('Enter')
    await owner.getByText('已拒绝 刘经纪 的协作申请').waitFor()

    await asker.goto(`${suite.host.url}/#/collab`)
    await asker.getByText('我提交的').click()
    const mine = inboxRow(asker, '拒绝演示客户')
    await expect.poll(() => mine.innerText(), POLL).toContain('已拒绝')
    expect(await mine.innerText()).toContain('客户要求只由我对接')
    await shot(asker, 'collab-12-declined')
    await asker.context().close()
    await owner.context().close()
  })

  it('agent3 at the client cap ticks two clients and hands them back, then one more from its profile; the manager assigns a pool client and a stale reassign is refused by name', async () => {
    const managerToken = await hostLogin(suite.host.url, 'manager')
    const agentToken = await hostLogin(suite.host.url, 'agent3')
    const owned = (await hostCall<{ total: number }>(suite.host.url, agentToken, 'clients.list', { view: 'mine', limit: 1, exactTotal: true })).total
    await hostCall(suite.host.url, managerToken, 'settings.setRules', { ownerCap: owned })
    await expect(clientOf('agent3', '超额客户')).rejects.toThrow(/LIMIT_REACHED/)

    const agent = await newPage(suite.browser, 'hand-back-agent')
    await signIn(agent, 'agent3', { url: `${suite.host.url}/#/clients` })
    await agent.locator('.ant-segmented-item', { hasText: '我的客户' }).click()
    const grid = agent.getByTestId('clients-grid')
    const rowAt = (i: number) => grid.locator(`.ag-center-cols-container .ag-row[row-index="${i}"]`)
    // the view has switched once the count is agent3's and the first rows are theirs
    await expect.poll(() => agent.getByTestId('clients-total').innerText(), POLL).toBe(`共 ${owned} 位客户`)
    for (const i of [0, 1]) await rowAt(i).locator('[col-id="owner"]', { hasText: '赵经纪' }).waitFor()
    // the checkbox sits in the first (pinned or centre) cell of each row
    for (const i of [0, 1]) await grid.locator(`.ag-row[row-index="${i}"] .ag-selection-checkbox input`).first().click()
    const bar = agent.getByTestId('clients-bulk-bar')
    await bar.getByText('已选 2 位客户').waitFor()
    await shot(agent, 'hand-back-10-bulk-bar')
    await bar.getByRole('button', { name: '退回公客池' }).click()
    let dialog = agent.getByRole('dialog', { name: '把选中的 2 位客户退回公客池' })
    await focused(dialog.locator('#reason'))
    await agent.keyboard.press('Enter')
    expect(await fieldError(dialog, 'reason').innerText()).toBe('请写明原因（至少 2 个字）')
    await agent.keyboard.type('客户已在别处成交')
    await agent.keyboard.press('Enter')
    await agent.getByText('已退回 2 位客户').waitFor()
    await bar.waitFor({ state: 'hidden' })
    // room under the cap again
    const fresh = await clientOf('agent3', '腾出名额的新客户')

    // one more from its profile: Esc closes the dialog and nothing happens; then with a reason
    await agent.goto(`${suite.host.url}/#/clients/${fresh}`)
    await agent.getByRole('button', { name: '退回公客池' }).click()
    dialog = agent.getByRole('dialog', { name: '把 腾出名额的新客户 退回公客池' })
    await focused(dialog.locator('#reason'))
    await agent.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await agent.getByRole('button', { name: '退回公客池' }).click()
    await focused(dialog.locator('#reason'))
    await agent.keyboard.type('客户要求换经纪人')
    await agent.keyboard.press('Enter')
    await agent.getByText('已把 腾出名额的新客户 退回公客池').waitFor()
    await agent.context().close()

    // the manager gives the pooled client to agent2 (the cap back to the branch's default)
    await hostCall(suite.host.url, managerToken, 'settings.setRules', { ownerCap: 200 })
    const manager = await newPage(suite.browser, 'hand-back-manager')
    await signIn(manager, 'manager', { url: `${suite.host.url}/#/clients/${fresh}` })
    await manager.getByRole('button', { name: '分配…' }).click()
    dialog = manager.getByRole('dialog', { name: '分配 腾出名额的新客户' })
    await focused(dialog.locator('#toStaffId'))
    await manager.keyboard.type('刘经纪')
    await manager.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '刘经纪' }).click()
    await dialog.locator('#reason').fill('熟悉该小区')
    await dialog.locator('#reason').press('Enter')
    await manager.getByText('已把 腾出名额的新客户 分配给 刘经纪').waitFor()
    await expect.poll(() => manager.getByTestId('client-owner').innerText(), POLL).toContain('刘经纪')

    // a reassign of a client that changed hands meanwhile is refused by name, and nothing moves
    await manager.getByRole('button', { name: '移交给…' }).click()
    dialog = manager.getByRole('dialog', { name: '移交 腾出名额的新客户' })
    await focused(dialog.locator('#toStaffId'))
    await manager.keyboard.type('赵经纪')
    await manager.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '赵经纪' }).click()
    await dialog.locator('#reason').fill('调整分工')
    await hostCall(suite.host.url, await hostLogin(suite.host.url, 'agent2'), 'pool.release', { clientId: fresh, reason: '客户已搬走' })
    await dialog.locator('#reason').press('Enter')
    await dialog.getByRole('alert').getByText('「腾出名额的新客户」刚刚已被移交，请刷新后再试').waitFor()
    await shot(manager, 'hand-back-11-stale-reassign')
    await manager.context().close()
  })
})
