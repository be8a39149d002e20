import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { FakeBackend, systemScheduler, type HidDeviceInfo } from '../../electron/card-reader'
import { parseReaderProfiles } from '../../electron/card-reader/load-profiles'
import { hostAdminCheck, startCardReaderBridge, type CardReaderBridge } from '../../electron/main/card-reader-bridge'
import type { ReaderChannel } from '../../electron/preload/channels'
import { deviceOf, loadRecording } from '../unit/card-reader/harness'
import { animationsSettled, ADMIN_PASSWORD, newPage, shot as shotIn, signIn, SHOTS as ALL_SHOTS } from './support/pages'
import { builtHostSuite } from './support/suite'

const SHOTS = path.join(ALL_SHOTS, 'h16-g')
const BUNDLED = path.resolve(__dirname, '../../resources/reader-profiles/profiles.json')
// card 0x12345678 as card makers print it
const PRINTED = '0305419896'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true, demoClients: 50 })
const profilesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-readers-'))
afterAll(() => fs.rmSync(profilesDir, { recursive: true, force: true }))

function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true })
  return shotIn(page, name, SHOTS)
}

// a reader no profile knows, sending the vendor reports recorded in vendor-held-card.json
const recording = loadRecording('vendor-held-card.json')
const UNKNOWN: HidDeviceInfo = { ...deviceOf(recording, '/dev/hidraw-new'), productId: 0x9999, manufacturer: 'ACME', product: 'HID Card Reader' }
// the reports of one swipe of card 0x12345678: idle, the card three times, lifted
const ONE_SWIPE = recording.events.slice(0, 6).flatMap((e) => ('bytes' in e ? [e.bytes] : []))
// a keyboard-type reader the bundled profiles know
const KNOWN = deviceOf(loadRecording('kbd-one-swipe.json'), '/dev/hidraw-kbd')

/**
 * Runs in the tab before the app: a `window.desktop` as the preload offers it, whose reader calls
 * go to the test's Electron-main bridge (exposed as __readerCall) and whose events the test
 * delivers through __desktopEvent. Swipes the page hears are kept in __swipes.
 */
function desktopBridgeScript() {
  const listeners: Record<string, Array<(v: unknown) => void>> = {}
  const on = (channel: string) => (cb: (v: unknown) => void) => {
    ;(listeners[channel] ??= []).push(cb)
    return () => void (listeners[channel] = (listeners[channel] ?? []).filter((l) => l !== cb))
  }
  const w = window as unknown as Record<string, unknown>
  const call = (channel: string, input: unknown) => (w.__readerCall as (c: string, i: unknown) => Promise<unknown>)(channel, input)
  const swipes: string[] = []
  w.__swipes = swipes
  on('card:swipe')((uid) => swipes.push(String(uid)))
  w.__desktopEvent = (channel: string, payload: unknown) => (listeners[channel] ?? []).forEach((l) => l(payload))
  w.desktop = {
    notify: async () => undefined,
    version: async () => 'e2e',
    firstRun: async () => null,
    onCardSwipe: on('card:swipe'),
    onCardStatus: on('card:status'),
    onCardRejected: on('card:rejected'),
    onNoticeOpen: on('notice:open'),
    readers: {
      list: (token: string) => call('readers:list', { token }),
      learnStart: (token: string, path: string) => call('readers:learn-start', { token, path }),
      learnReset: (token: string) => call('readers:learn-reset', { token }),
      learnPropose: (token: string, printed: string, name?: string) => call('readers:learn-propose', name === undefined ? { token, printed } : { token, printed, name }),
      learnSave: (token: string) => call('readers:learn-save', { token }),
      learnCancel: (token: string) => call('readers:learn-cancel', { token }),
      onLearn: on('card:learn'),
    },
  }
}

/** A tab of the desktop app: the real bridge of Electron main on a fake HID backend, checked against the e2e host. */
async function desktopTab(name: string): Promise<{ page: Page; backend: FakeBackend; bridge: CardReaderBridge }> {
  const backend = new FakeBackend(systemScheduler())
  backend.plug(KNOWN)
  backend.plug(UNKNOWN)
  let page: Page | null = null
  const bridge = await startCardReaderBridge({
    backend,
    profileFiles: [path.join(profilesDir, `${name}.json`), BUNDLED],
    platform: 'linux',
    isAdmin: hostAdminCheck(suite.host.url),
    send: (channel, payload) => void page?.evaluate(([c, p]) => (window as unknown as { __desktopEvent(c: string, p: unknown): void }).__desktopEvent(c, p), [channel, payload] as const).catch(() => undefined),
  })
  page = await newPage(suite.browser, name, {
    shots: SHOTS,
    prepare: async (context: BrowserContext) => {
      await context.exposeFunction('__readerCall', (channel: ReaderChannel, input: unknown) => bridge.handle(channel, input))
      await context.addInitScript(desktopBridgeScript)
    },
  })
  return { page, backend, bridge }
}

/** One swipe of the recorded card on the fake reader (all reports at once: the manager ends a swipe on a quiet reader). */
function swipeCard(backend: FakeBackend) {
  for (const r of ONE_SWIPE) backend.send(UNKNOWN.path, r)
}

const stateOf = (page: Page, device: string) => page.locator('.ant-table-row', { hasText: device }).getByTestId('reader-state')

describe('读卡器: the admin learns an unknown reader in the desktop app (issue #16 item 7)', () => {
  it('lists the readers, learns one from three swipes and its printed number, saves it, and the reader goes live', async () => {
    const { page, backend, bridge } = await desktopTab('readers-learn')
    try {
      await signIn(page, 'admin', { url: suite.host.url, password: ADMIN_PASSWORD })
      await page.getByRole('menuitem', { name: '读卡器' }).click()
      await expect.poll(() => stateOf(page, 'USB ID Reader').innerText()).toBe('在用')
      expect(await stateOf(page, 'ACME HID Card Reader').innerText()).toBe('未知型号')
      await expect.poll(() => page.locator('.ant-table-row', { hasText: 'ACME' }).innerText()).toContain('1A2B:9999')
      await animationsSettled(page)
      await shot(page, 'readers-list')

      await page.locator('.ant-table-row', { hasText: 'ACME' }).getByRole('button', { name: '学习' }).click()
      const panel = page.getByTestId('learn-panel')
      await panel.waitFor()
      // the number field has the focus: the admin types straight away
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reader-printed')
      await page.keyboard.type('1234')
      await page.getByLabel('读卡器名称（可不填）').fill('前台读卡器')
      for (let i = 1; i <= 3; i++) {
        swipeCard(backend)
        await expect.poll(() => panel.getByTestId('learn-swipes').locator('li.done').count()).toBe(i)
      }
      await shot(page, 'readers-learn-swiped')

      // a printed number that does not match what the reader sent: said, nothing saved
      await page.getByRole('button', { name: '生成配置' }).click()
      await expect.poll(() => panel.getByTestId('learn-problem').innerText()).toContain('与卡面号码对不上')
      expect(fs.existsSync(path.join(profilesDir, 'readers-learn.json'))).toBe(false)
      await shot(page, 'readers-learn-mismatch')

      // the right number, and Enter works out the profile
      await page.getByLabel('卡面印的号码').fill(PRINTED)
      await page.getByLabel('卡面印的号码').press('Enter')
      const proposal = page.getByTestId('learn-proposal')
      await proposal.waitFor()
      const text = await proposal.innerText()
      for (const part of ['前台读卡器', '报告式', '报告 ID 0x01', '第 2 字节是卡号长度', '卡号从第 3 字节开始', '异或校验', '卡号字节按卡内顺序', '12345678', `${PRINTED} ✓ 相符`]) {
        expect(text, part).toContain(part)
      }
      // the UID bytes are marked in the report
      expect(await proposal.getByTestId('learn-report').locator('span.uid').allInnerTexts()).toEqual(['12', '34', '56', '78'])
      await proposal.scrollIntoViewIfNeeded()
      await shot(page, 'readers-proposal')

      await page.getByTestId('learn-save').click()
      await page.getByText('已保存「前台读卡器」，读卡器已启用').waitFor()
      // learned profiles come first: the learned reader is the one in use now
      await expect.poll(() => stateOf(page, 'ACME HID Card Reader').innerText()).toBe('在用')
      expect(await page.locator('.ant-table-row', { hasText: 'ACME' }).innerText()).toContain('前台读卡器')
      expect(await stateOf(page, 'USB ID Reader').innerText()).toBe('已识别（未启用）')
      await animationsSettled(page)
      await shot(page, 'readers-live')
      const saved = parseReaderProfiles(fs.readFileSync(path.join(profilesDir, 'readers-learn.json'), 'utf8'), 'learned')
      expect(saved).toMatchObject([{ id: 'learned-1a2b-9999', name: '前台读卡器', kind: 'vendor', lengthByteOffset: 2, uidOffset: 3, checksum: 'xor' }])

      // the reader is live: a swipe reaches the page as the card's UID
      swipeCard(backend)
      await expect.poll(() => page.evaluate(() => (window as unknown as { __swipes: string[] }).__swipes)).toContain('12345678')
    } finally {
      await page.context().close()
      await bridge.stop()
    }
  })

  it('an agent has no 读卡器, by menu or by URL, and the desktop bridge refuses an agent session', async () => {
    const { page, bridge } = await desktopTab('readers-agent')
    try {
      await signIn(page, 'agent1', { url: suite.host.url })
      await page.getByRole('menuitem', { name: '跟进' }).waitFor()
      expect(await page.getByRole('menuitem', { name: '读卡器' }).count()).toBe(0)
      await page.evaluate(() => (window.location.hash = '#/readers'))
      await page.getByText('无权访问').waitFor()
      expect(await page.getByTestId('readers-table').count()).toBe(0)
      await shot(page, 'readers-agent-denied')
      // called straight from the page with the agent's session, main still says no
      const answer = await page.evaluate(async () => {
        const w = window as unknown as { desktop: { readers: { list(t: string): Promise<unknown> } } }
        return w.desktop.readers.list(sessionStorage.getItem('keyuan.session') ?? '')
      })
      expect(answer).toEqual({ ok: false, reason: 'not-admin' })
    } finally {
      await page.context().close()
      await bridge.stop()
    }
  })

  it('in a browser (no desktop app) the page says readers are managed on the host PC', async () => {
    const page = await newPage(suite.browser, 'readers-browser', { shots: SHOTS })
    await signIn(page, 'admin', { url: `${suite.host.url}/#/readers`, password: ADMIN_PASSWORD })
    await page.getByText('读卡器由主机电脑上的客源桌面程序管理').waitFor()
    expect(await page.getByTestId('readers-table').count()).toBe(0)
    await shot(page, 'readers-browser')
    // and in English
    await page.evaluate(() => localStorage.setItem('keyuan.language', 'en'))
    await page.reload()
    await page.getByText('Card readers are managed in the Keyuan desktop app on the host PC').waitFor()
    expect(await page.getByRole('menuitem', { name: 'Card readers' }).count()).toBe(1)
    await shot(page, 'readers-browser-en')
    await page.context().close()
  })
})
