import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { branchDay } from '@shared/domain/rules'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue 20 item 3, as an agent works it: today's birthdays on 客户关怀, a greeting marked done
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })
const POLL = { timeout: 30_000 }

/** Waits until the element has the keyboard focus. */
async function focused(l: Locator) {
  await expect.poll(() => l.evaluate((el) => el === document.activeElement), POLL).toBe(true)
}

describe('客户关怀 in Chromium', () => {
  it('an agent sees their client’s birthday today, marks the greeting done by WeChat, and the list and the client’s log show it', async () => {
    const token = await hostLogin(suite.host.url, 'agent1')
    // the host's own day (Shanghai): a client born on it, 40 years back
    const today = branchDay(new Date())
    const birthDate = `${Number(today.slice(0, 4)) - 40}${today.slice(4)}`
    const id = (
      await hostCall<{ id: number }>(suite.host.url, token, 'clients.create', {
        kind: 'person',
        name: '生日演示客户',
        phones: [{ number: '18233990001' }],
        sourceChannel: 'walk_in',
        tier: 'vip',
        birthDate,
      })
    ).id

    const page = await newPage(suite.browser, 'care')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/care` })
    const list = page.getByTestId('care-page')
    const row = list.locator('tr.ant-table-row', { hasText: '生日演示客户' })
    await row.waitFor()
    expect(await row.innerText()).toContain(birthDate)
    expect(await row.innerText()).toContain('今天')
    await shot(page, 'care-10-birthdays')

    await row.getByRole('button', { name: '标记已问候' }).click()
    const dialog = page.getByRole('dialog', { name: '问候 生日演示客户（生日）' })
    await focused(dialog.locator('#channel'))
    // 微信 is the default channel; the words are prefilled: Enter in the select moves nothing, the button saves
    expect(await dialog.locator('textarea').inputValue()).toContain('生日快乐')
    await dialog.getByRole('button', { name: '记为已问候' }).click()
    await page.getByText('已记录问候，并计入跟进').waitFor()
    await expect.poll(() => row.innerText(), POLL).toMatch(/已微信问候/)
    await shot(page, 'care-11-greeted')

    // the greeting is a follow-up in the client's log
    const log = await hostCall<{ rows: Array<{ channel: string; content: string }> }>(suite.host.url, token, 'followups.list', { clientId: id })
    expect(log.rows[0]).toMatchObject({ channel: 'wechat', content: '祝您生日快乐，身体健康，万事如意！' })
  })
})
