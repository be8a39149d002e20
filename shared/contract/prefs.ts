import { z } from 'zod'
import { Ok, type ContractTable } from './common'

export const Prefs = {
  input: z.strictObject({ key: z.string().regex(/^[a-z][a-zA-Z0-9_.-]{1,63}$/) }),
}

export const prefsContract = {
  'prefs.get': {
    input: Prefs.input,
    output: z.object({ value: z.unknown().nullable() }),
    write: false,
    summary: "One of the signed-in user's saved preferences (grid columns, saved views).",
  },
  'prefs.set': {
    input: Prefs.input.extend({ value: z.unknown().refine((v) => JSON.stringify(v ?? null).length <= 20_000, 'too large') }),
    output: Ok,
    write: false,
    summary: 'Save a preference of the signed-in user.',
  },
} as const satisfies ContractTable
