import { z } from 'zod'
import { Empty, IsoTime, Ok, type ContractTable } from './common'
import { StaffSelf } from './staff'
import { textField } from '../domain/text-kinds'

export const Password = z.string().min(8).max(128)

export const LoginInput = z.strictObject({
  // full-width letters from an IME sign in as the ASCII name; the password is compared as typed
  username: textField('username', 64, 1),
  password: z.string().min(1).max(128),
})

export const LoginOutput = z.object({
  token: z.string(),
  expiresAt: IsoTime,
  staff: StaffSelf,
})

export const authContract = {
  'auth.login': {
    input: LoginInput,
    output: LoginOutput,
    write: false,
    summary: 'Sign in with username and password; returns a bearer session token.',
  },
  'auth.logout': { input: Empty, output: Ok, write: false, summary: 'End the current session.' },
  'auth.whoami': { input: Empty, output: StaffSelf, write: false, summary: 'The signed-in staff member.' },
  'auth.changePassword': {
    input: z.strictObject({ oldPassword: z.string().min(1).max(128), newPassword: Password }),
    output: Ok,
    write: true,
    summary: 'Change your own password; other sessions of yours end.',
  },
} as const satisfies ContractTable
