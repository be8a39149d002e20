import { describe, expect, it } from 'vitest'
import { generatePassword, hashPassword, verifyPassword } from '../../electron/host/domains/auth/password'

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const h1 = await hashPassword('秘密-password-1')
    const h2 = await hashPassword('秘密-password-1')
    expect(h1).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(h1).not.toBe(h2)
    expect(await verifyPassword('秘密-password-1', h1)).toBe(true)
    expect(await verifyPassword('秘密-password-2', h1)).toBe(false)
    expect(await verifyPassword('x', 'garbage')).toBe(false)
  })

  it('generates readable random passwords', () => {
    const p = generatePassword()
    expect(p).toMatch(/^[a-zA-Z2-9]{14}$/)
    expect(p).not.toMatch(/[01lIoO]/)
    expect(generatePassword()).not.toBe(p)
  })
})
