import { describe, expect, it } from 'vitest'
import { isKeyboardInterface } from '../../../electron/card-reader/device'
import { decideReaderAccess } from '../../../electron/card-reader/reader-access'
import { ReaderProfile } from '../../../electron/card-reader/reader-profile'

const keyboardProfile = ReaderProfile.parse({ id: 'kb', name: 'kb', vendorId: 1, productId: 2, kind: 'keyboard', uidFormat: 'decimal-10' })
const vendorProfile = ReaderProfile.parse({
  id: 'v',
  name: 'Vendor',
  vendorId: 1,
  productId: 3,
  kind: 'vendor',
  uidFormat: 'bytes-be',
  lengthByteOffset: 0,
  uidOffset: 1,
  maxUidLength: 10,
})
const keyboardDevice = { path: 'k', vendorId: 1, productId: 2, usagePage: 0x01, usage: 0x06 }
const vendorDevice = { path: 'v', vendorId: 1, productId: 3, usagePage: 0xff00, usage: 0x01 }
const denied = new Error('permission denied')

describe('how a reader is read, per platform', () => {
  it('Windows: keyboard-type readers go to burst detection without trying to open them', () => {
    const d = decideReaderAccess({ platform: 'win32', profile: keyboardProfile, device: keyboardDevice })
    expect(d).toMatchObject({ action: 'keyboard-wedge', reason: expect.stringContaining('Windows') })
  })

  it('Windows: a device with the keyboard usage is keyboard-class even under a vendor profile', () => {
    expect(decideReaderAccess({ platform: 'win32', profile: vendorProfile, device: { ...vendorDevice, usagePage: 1, usage: 6 } }).action).toBe(
      'keyboard-wedge',
    )
  })

  it.each(['win32', 'linux', 'darwin'])('%s: vendor readers are opened', (platform) => {
    expect(decideReaderAccess({ platform, profile: vendorProfile, device: vendorDevice })).toEqual({ action: 'open' })
  })

  it.each(['linux', 'darwin', 'freebsd'])('%s: keyboard-type readers are opened', (platform) => {
    expect(decideReaderAccess({ platform, profile: keyboardProfile, device: keyboardDevice })).toEqual({ action: 'open' })
  })

  it.each([
    ['linux', 'udev'],
    ['darwin', 'Input Monitoring'],
    ['freebsd', 'permissions'],
  ])('%s: a keyboard-type reader that cannot be opened falls back to burst detection with a hint', (platform, hint) => {
    const d = decideReaderAccess({ platform, profile: keyboardProfile, device: keyboardDevice, openError: denied })
    expect(d.action).toBe('keyboard-wedge')
    expect(d.action === 'keyboard-wedge' && d.reason).toContain('permission denied')
    expect(d.action === 'keyboard-wedge' && d.reason).toContain(hint)
  })

  it('a vendor reader that cannot be opened is an error naming the reader', () => {
    expect(decideReaderAccess({ platform: 'linux', profile: vendorProfile, device: vendorDevice, openError: denied })).toEqual({
      action: 'error',
      message: 'cannot open reader "Vendor": permission denied',
    })
  })

  it('keyboard interfaces are usage page 1 usage 6', () => {
    expect(isKeyboardInterface({ usagePage: 1, usage: 6 })).toBe(true)
    expect(isKeyboardInterface({ usagePage: 1, usage: 2 })).toBe(false)
    expect(isKeyboardInterface({})).toBe(false)
  })
})
