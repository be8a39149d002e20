import { chromium, type Browser } from 'playwright-core'
import { inject } from 'vitest'
import type { TestProject } from 'vitest/node'
import { CHROMIUM_ARGS, findChromium, launchChromium } from './chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    /** the e2e run's one Chromium (global setup below); empty when a file runs without it */
    chromiumEndpoint: string
  }
}

/**
 * The e2e project's global setup: one Chromium for the whole run, which each file reaches over
 * Playwright's protocol. Launching one per file cost a second or two each, thirty times a run.
 * Each file still gets its own connection and contexts (closed when it disconnects), so no cookie,
 * storage or page outlives its file.
 */
export default async function startSharedBrowser(project: TestProject): Promise<() => Promise<void>> {
  const server = await chromium.launchServer({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  project.provide('chromiumEndpoint', server.wsEndpoint())
  return () => server.close()
}

/** The run's shared Chromium for this file (a connection of its own), else a Chromium of its own. */
export async function e2eBrowser(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint')
  return endpoint ? chromium.connect(endpoint) : launchChromium()
}
