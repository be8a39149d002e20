import fs from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const DEBIAN_CHROMIUM = '/usr/bin/chromium'

/** The Chromium binary for e2e tests: $CHROMIUM_PATH, else Debian's; throws a one-line fix when neither exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROMIUM_PATH
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist; install Debian's chromium: apt-get install chromium, or set CHROMIUM_PATH`)
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM
  throw new Error("no Chromium found; install Debian's chromium: apt-get install chromium, or set CHROMIUM_PATH")
}

/** Headless Chromium with nothing reaching for the internet. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Starts headless Chromium with nothing reaching for the internet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
}
