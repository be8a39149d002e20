import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_STAFF } from '../../electron/host/demo/demo-staff'
import { personalWords } from '../../electron/host/domains/auth/password-policy'
import {
  findPasswordProblem,
  loadOnce,
  loadPasswordLists,
  passwordProblem,
  passwordWarning,
  type PasswordLists,
} from '@shared/domain/password-rules'

let lists: PasswordLists
beforeAll(async () => {
  lists = await loadPasswordLists()
})

const reason = (p: string, personal: string[] = []) => findPasswordProblem(p, personal, lists)?.reason ?? null

describe('password rules', () => {
  it('uses the zxcvbn-ts common list (tens of thousands, not a handful) plus Chinese favourites', () => {
    expect(lists.common.size).toBeGreaterThan(40_000)
    expect(lists.common.has('password')).toBe(true)
    expect(lists.common.has('woaini1314')).toBe(true)
  })

  it('refuses fewer than 8 characters, counting characters rather than UTF-16 units', () => {
    expect(findPasswordProblem('x7K9mQ2', [], lists)).toEqual({ reason: 'too_small', minimum: 8 })
    expect(reason('金屋藏娇四季发财')).toBeNull()
    expect(reason('😀😀😀😀x7K')).toEqual('too_small')
  })

  it('refuses common passwords, also with digits and symbols around them and in any case', () => {
    for (const p of ['password', 'iloveyou', 'sunshine1', 'Password1!', 'monkey2026!', '2026dragon', 'WOAINI1314', 'woaini520520']) {
      expect(reason(p), p).toBe('password_common')
    }
  })

  it('refuses the account name and the person’s name: as is, reversed, repeated, with digits, in any case', () => {
    const who = ['zhangwei', '张伟', 'zhangwei']
    for (const p of ['zhangwei', 'ZhangWei2026', 'iewgnahz1', 'zhangweizhangwei', '123zhangwei!', 'Zhang.Wei88', '张伟张伟12345']) {
      expect(reason(p, who), p).toBe('password_personal')
    }
    expect(reason('zhangwei-likes-tea', who)).toBeNull()
  })

  it('on the host, the name’s pinyin and the product name count as personal too', () => {
    const words = personalWords({ username: 'xiaoli', name: '李晓' })
    expect(words).toContain('lixiao')
    expect(reason('lixiao2026', words)).toBe('password_personal')
    expect(reason('Keyuan@2026', words)).toBe('password_personal')
  })

  it('refuses one character or a short pattern repeated', () => {
    for (const p of ['aaaaaaaa', '00000000', '88888888', '12121212', 'abcabcabc', '520520520', 'passpass']) {
      expect(reason(p), p).toBe('password_repeated')
    }
  })

  it('refuses keyboard and alphabet runs', () => {
    for (const p of ['qwertyuiop', 'asdfghjkl', 'zxcvbnm,./', '1qaz2wsx3edc', 'zaq12wsx', '12345678', '98765432', 'abcdefgh', '147258369', 'qazwsxedc']) {
      expect(reason(p), p).toBe('password_keyboard')
    }
  })

  it('accepts the demo password for every demo account, the test passwords, and random ones', async () => {
    for (const s of DEMO_STAFF) expect(await passwordProblem(DEMO_PASSWORD, personalWords(s)), s.username).toBeNull()
    const admin = personalWords({ username: 'admin', name: '系统管理员' })
    for (const p of ['admin-test-pass', 'long-enough', 'staff-pass-123', 'agent-pass-1', 'another-pass-1', 'a-new-password', 'branch-pass-2026']) {
      expect(await passwordProblem(p, admin), p).toBeNull()
    }
    for (const p of ['x7K9mQ2p', 'Tq4vN8wzR2', 'correct horse battery staple', '秘密-password-1']) expect(reason(p), p).toBeNull()
  })

  it('while the lists cannot be loaded (host down), the renderer still warns by length, repeats, runs and names', async () => {
    const down = () => Promise.reject(new Error('Failed to fetch dynamically imported module'))
    const warn = async (p: string, who: string[] = []) => (await passwordWarning(p, who, down))?.reason ?? null
    expect(await warn('x7K9mQ2')).toBe('too_small')
    expect(await warn('aaaaaaaa')).toBe('password_repeated')
    expect(await warn('abcdefgh')).toBe('password_keyboard')
    expect(await warn('zhangwei2026', ['zhangwei'])).toBe('password_personal')
    expect(await warn('keyuan2026')).toBe('password_personal')
    expect(await warn('woaini1314')).toBe('password_common')
    // the downloaded list is what knows these: the host refuses them on save
    expect(await warn('sunshine1')).toBeNull()
    expect(await passwordWarning('sunshine1', [])).toEqual({ reason: 'password_common' })
  })

  it('a failed load is not kept: the next use loads again, and a load that worked is shared', async () => {
    let calls = 0
    let up = false
    const load = loadOnce(async () => {
      calls++
      if (!up) throw new Error('host down')
      return calls
    })
    await expect(load()).rejects.toThrow('host down')
    await expect(load()).rejects.toThrow('host down')
    expect(calls).toBe(2)
    up = true
    expect(await load()).toBe(3)
    expect(await load()).toBe(3)
    expect(calls).toBe(3)
  })

  it('callers waiting on one load share it, failed or not', async () => {
    let calls = 0
    const load = loadOnce(async () => {
      calls++
      throw new Error('host down')
    })
    const both = await Promise.allSettled([load(), load()])
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(calls).toBe(1)
  })
})
