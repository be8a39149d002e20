import { z } from 'zod'

/**
 * Words the host sends for a person to read (a task's title, a notice, a ledger reason, a finance
 * note …): a key of shared/domain/host-text-keys.ts and its parameters. The renderer words it
 * in the chosen language (renderer/src/i18n/host-text.ts); what a user typed travels as a
 * parameter, untranslated.
 */
export const HostText = z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
export type HostText = z.infer<typeof HostText>
