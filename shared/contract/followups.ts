import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
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
  createdAt: IsoTime,
})

export const Question = z.strictObject({
  key: textField('code', 40, 1),
  text: textField('line', 200, 1),
  /** the profile field an answer fills. */
  field: z.enum(['householdSize', 'purchaseHorizon', 'demandType', 'region', 'wealthTier', 'entrustedOther', 'community', 'industry', 'employer']).nullable().optional(),
  type: z.enum(['text', 'number', 'choice', 'boolean']),
  options: z.array(textField('line', 40)).max(20).optional(),
})

/** A question as stored and shown: plain strings (older sets predate the text kinds). */
const QuestionStored = z.object({ ...Question.shape, key: z.string(), text: z.string(), options: z.array(z.string()).optional() })

export const QuestionSet = z.object({ id: Id, name: z.string(), questions: z.array(QuestionStored), active: z.boolean() })

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
  'questionnaires.list': {
    input: z.strictObject({}),
    output: z.object({ sets: z.array(QuestionSet) }),
    write: false,
    summary: 'The standard follow-up questionnaires.',
  },
  'questionnaires.save': {
    input: z.strictObject({ id: Id.optional(), name: textField('line', 40, 1), questions: z.array(Question).min(1).max(30), active: z.boolean().default(true) }),
    output: QuestionSet,
    write: true,
    summary: 'Create or edit a questionnaire (managers).',
  },
} as const satisfies ContractTable
