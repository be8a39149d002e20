import { isKeyboardInterface, type HidDeviceInfo } from './device'
import type { ReaderProfile } from './reader-profile'

/** What the service does with a reader it found. */
export type AccessDecision =
  | { action: 'open' }
  /** node-hid cannot read it: the renderer's burst detection takes keyboard-type swipes */
  | { action: 'keyboard-wedge'; reason: string }
  | { action: 'error'; message: string }

export interface AccessQuestion {
  /** process.platform, passed in so the rule is tested for every OS on any OS */
  platform: string
  profile: ReaderProfile
  device: HidDeviceInfo
  /** set when opening was tried and failed */
  openError?: Error
}

const HINTS: Record<string, string> = {
  linux: 'give the user read access to the hidraw device (udev rule) to read it directly',
  darwin: 'allow Input Monitoring for the app to read it directly',
}

/**
 * Decides how a matched reader is read. Windows never lets an application open a
 * keyboard-class HID interface (the OS owns it), so a keyboard-type reader there is left
 * to the renderer's burst detection without trying. Elsewhere it is opened; if opening a
 * keyboard-type reader fails (permissions) its keys still reach the page, so burst
 * detection takes over too. A vendor reader that cannot be opened is an error.
 */
export function decideReaderAccess(q: AccessQuestion): AccessDecision {
  const keyboardClass = q.profile.kind === 'keyboard' || isKeyboardInterface(q.device)
  if (keyboardClass && q.platform === 'win32') {
    return { action: 'keyboard-wedge', reason: 'Windows does not let applications read keyboard-type readers; swipes come through as typing' }
  }
  if (!q.openError) return { action: 'open' }
  if (keyboardClass) {
    const hint = HINTS[q.platform] ?? 'check the device permissions to read it directly'
    return { action: 'keyboard-wedge', reason: `cannot open the reader (${q.openError.message}); swipes come through as typing; ${hint}` }
  }
  return { action: 'error', message: `cannot open reader "${q.profile.name}": ${q.openError.message}` }
}
