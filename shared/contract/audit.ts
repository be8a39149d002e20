import { z } from 'zod'
import { Empty, Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

export const AuditRow = z.object({
  id: Id,
  at: IsoTime,
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string(),
  address: z.string().nullable(),
  hash: z.string(),
})
export type AuditRow = z.infer<typeof AuditRow>

/** The newest row of the chain: what the anchor file records after each commit. */
export const AuditHead = z.object({ id: Id, hash: z.string(), at: IsoTime })
export type AuditHead = z.infer<typeof AuditHead>

/**
 * The anchor file against the database: `agrees` (the last anchored row is there with the same
 * hash), `ahead` (the database lacks it: rows were dropped), `disagrees` (it is there with
 * another hash: the chain was rewritten), `missing` (keyed rows but no anchor file), `none`
 * (nothing anchored yet, no keyed rows).
 */
export const AnchorStatus = z.enum(['agrees', 'ahead', 'disagrees', 'missing', 'none'])
export type AnchorStatus = z.infer<typeof AnchorStatus>

export const AnchorCheck = z.object({
  status: AnchorStatus,
  /** the last anchored head. */
  last: AuditHead.nullable(),
  /** the first anchored row id: the anchor vouches for rows from here on. */
  from: Id.nullable(),
  /** false when the anchor starts after the first keyed row (the file was lost or set aside): rows before it are vouched for by the chain alone. */
  coversAll: z.boolean(),
})
export type AnchorCheck = z.infer<typeof AnchorCheck>

export const AuditVerifyOutput = z.object({
  /** the chain links and the anchor agrees with it. */
  ok: z.boolean(),
  checked: z.number().int(),
  /** id of the first row whose hash does not match its content and predecessor. */
  firstBrokenId: z.number().int().nullable(),
  head: AuditHead.nullable(),
  anchor: AnchorCheck,
  /** first row of the keyed (HMAC) chain; rows before it were linked with plain SHA-256. */
  keyedFrom: Id.nullable(),
  verifiedAt: IsoTime,
})
export type AuditVerifyOutput = z.infer<typeof AuditVerifyOutput>

export const auditContract = {
  'audit.list': {
    input: PageInput.extend({
      actorId: Id.optional(),
      action: textField('code', 64).optional(),
      /** a phone or 18-character ID number: rows that mention it (matched by keyed hash; admins only). */
      number: textField('code', 40).optional(),
    }),
    output: Page(AuditRow),
    write: false,
    summary: 'The audit log, newest first; admins may filter by a phone or ID number (the search is itself audited).',
  },
  'audit.verify': {
    input: Empty,
    output: AuditVerifyOutput,
    write: false,
    summary: 'Walk the keyed hash chain, compare its head with the anchor file, and report where it breaks.',
  },
} as const satisfies ContractTable
