import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { FollowUpChannel, Intention, Stage } from '../domain/client-enums'

export const QuestionAnswer = z.object({ key: z.string().max(40), value: z.union([z.string().max(200), z.number(), z.boolean()]) })

export const FollowUpCreateInput = z
  .object({
    clientId: Id,
    channel: FollowUpChannel,
    content: z.string().trim().min(1).max(2000),
    /** the client's intention after this contact. */
    intention: Intention.optional(),
    /** a stage change this contact brought (e.g. 意向 -> 谈判). */
    stageTo: Stage.exclude(['lost']).optional(),
    nextAction: z.string().trim().min(1).max(200).optional(),
    nextDueAt: IsoTime.optional(),
    questionnaire: z.object({ setId: Id, answers: z.array(QuestionAnswer).max(50) }).optional(),
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

export const Question = z.object({
  key: z.string().min(1).max(40),
  text: z.string().min(1).max(200),
  /** the profile field an answer fills. */
  field: z.enum(['householdSize', 'purchaseHorizon', 'demandType', 'region', 'wealthTier', 'entrustedOther', 'community', 'industry', 'employer']).nullable().optional(),
  type: z.enum(['text', 'number', 'choice', 'boolean']),
  options: z.array(z.string().max(40)).max(20).optional(),
})

export const QuestionSet = z.object({ id: Id, name: z.string(), questions: z.array(Question), active: z.boolean() })

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
    input: z.object({}).strict(),
    output: z.object({ sets: z.array(QuestionSet) }),
    write: false,
    summary: 'The standard follow-up questionnaires.',
  },
  'questionnaires.save': {
    input: z.object({ id: Id.optional(), name: z.string().trim().min(1).max(40), questions: z.array(Question).min(1).max(30), active: z.boolean().default(true) }),
    output: QuestionSet,
    write: true,
    summary: 'Create or edit a questionnaire (managers).',
  },
} as const satisfies ContractTable
