import { describe, expect, it } from 'vitest'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue 16 item 4: behaviour tags the host computed, on the profile, and their rules in 设置.
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })

describe('behaviour tags, in Chromium', () => {
  it('two calls and a school need show as 近3天咨询2次 and 学区房偏好 on the profile; the manager reads the rules in 设置', async () => {
    const token = await hostLogin(suite.host.url, 'agent1')
    // a mobile prefix the demo generator never uses
    const { id } = await hostCall<{ id: number }>(suite.host.url, token, 'clients.create', { kind: 'person', name: '标签演示客户', phones: [{ number: '18233449901' }], sourceChannel: 'phone' })
    for (const content of ['来电问学区', '再次来电问价']) await hostCall(suite.host.url, token, 'followups.create', { clientId: id, channel: 'phone', content })
    await hostCall(suite.host.url, token, 'needs.create', { clientId: id, kind: 'residential', amenities: { school: true } })

    const page = await newPage(suite.browser, 'behaviour-tags')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/clients/${id}` })
    await page.getByTestId('client-profile').waitFor()
    await page.getByRole('tab', { name: '客户资料' }).click()
    const tags = page.getByTestId('behaviour-tags')
    await tags.getByText('近3天咨询2次').waitFor()
    await tags.getByText('学区房偏好').waitFor()
    expect(await tags.innerText()).toContain('近7天有联系')
    await tags.scrollIntoViewIfNeeded()
    await shot(page, 'behaviour-tags-10-profile')

    const manager = await newPage(suite.browser, 'behaviour-tag-rules')
    await signIn(manager, 'manager', { url: `${suite.host.url}/#/settings` })
    await manager.getByRole('tab', { name: '行为标签' }).click()
    const rules = manager.getByTestId('behaviour-tag-rules')
    await rules.getByText('3天内电话、微信、短信、到访、带看跟进和前台到访登记合计不少于2次', { exact: false }).waitFor()
    expect(await rules.innerText()).toContain('高出10%')
    await shot(manager, 'behaviour-tags-20-rules')
  })
})
