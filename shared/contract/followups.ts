import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { HostText } from './host-text'
import { FollowUpChannel, Intention, Stage } from '../domain/client-enums'
import { textField } from '../domain/text-kinds'

export const QuestionAnswer = z.strictObject({ key: textField('code', 40), value: z.union([textField('line', 200), z.number(), z.boolean()]) })

export const FollowUpCreateInput = z
  .strictObject({
    clientId: Id,
    channel: FollowUpChannel,
    content: textField('note', 2000, 1),
    /** the client's intention after this contact. */
    intention: Intention.optional(),
    /** a stage change this contact brought (e.g. 意向 -> 谈判). */
    stageTo: Stage.exclude(['lost']).optional(),
    nextAction: textField('line', 200, 1).optional(),
    nextDueAt: IsoTime.optional(),
    questionnaire: z.strictObject({ setId: Id, answers: z.array(QuestionAnswer).max(50) }).optional(),
    /** the active campaign this contact came from */
    campaignId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.nextAction === undefined) !== (v.nextDueAt === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.nextAction ? 'nextDueAt' : 'nextAction'], message: 'a next action needs its due time', params: { reason: 'next_action_pair' } })
    }
  })

export const FollowUp = z.object({
  id: Id,
  clientId: Id,
  staffId: Id,
  staffName: z.string(),
  channel: FollowUpChannel,
  content: z.string(),
  intention: Intention.nullable(),
  stageTo: Stage.nullable(),
  nextAction: z.string().nullable(),
  nextDueAt: IsoTime.nullable(),
  /** the system's words about the entry, worded by the renderer before the content (a lost client's reason); null for most */
  text: HostText.nullable(),
  createdAt: IsoTime,
  /** imported history (导入的跟进记录): told apart from contacts logged in Keyuan, and left out of agents' KPIs */
  imported: z.boolean(),
})

export const followupsContract = {
  'followups.create': {
    input: FollowUpCreateInput,
    output: FollowUp,
    write: true,
    summary: 'Log a contact (phone, WeChat, visit, viewing, SMS) or a collaboration note; answers of a questionnaire fill the profile.',
  },
  'followups.list': {
    input: PageInput.extend({ clientId: Id }),
    output: Page(FollowUp),
    write: false,
    summary: "A client's shared collaboration log, newest first.",
  },
} as const satisfies ContractTable
