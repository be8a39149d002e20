import { App, Checkbox, DatePicker, Form, Input, Radio, Select, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Result } from '@shared/contract/common'
import type { FollowUp } from '@shared/contract/followups'
import { FollowUpChannel, Intention, Stage } from '@shared/domain/client-enums'
import { useApi } from '../../api/session-context'
import { textRule } from '../../app/text-rules'
import { toAnswers, type AnswerValues, type QuestionSetData } from './questionnaire-answers'
import { QuestionnaireFields } from './questionnaire-fields'
import { WORK_SAVE_TEXTS } from './work-errors'
import { branchNowPicker, fromPicker } from '../../app/branch-picker'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

/** Whom a follow-up is about, and the task it answers when logged from the Today list. */
export interface FollowUpTarget {
  clientId: number
  clientName: string
  task?: { id: number; title: string }
}

interface Values {
  channel: Channel
  content: string
  intention?: Intention
  stageTo?: Exclude<Stage, 'lost'>
  nextAction?: string
  nextDueAt?: Dayjs
  setId?: number
  answers?: AnswerValues
  completeTask?: boolean
}

type Channel = z.infer<typeof FollowUpChannel>

const CONTACT_CHANNELS = FollowUpChannel.options.filter((c) => c !== 'note')
const STAGES = Stage.options.filter((s): s is Exclude<Stage, 'lost'> => s !== 'lost')

/** Quick picks for the next follow-up time, in branch time. */
function presets(t: TFunction) {
  const now = branchNowPicker()
  const at10 = (d: Dayjs) => d.hour(10).minute(0).second(0)
  return [
    { label: t('work.followUp.presetTomorrow'), value: at10(now.add(1, 'day')) },
    { label: t('work.followUp.preset3Days'), value: at10(now.add(3, 'day')) },
    { label: t('work.followUp.presetWeek'), value: at10(now.add(7, 'day')) },
  ]
}

/**
 * 记录跟进 / 添加协作备注: one contact with the client (channel, content, intention, a stage
 * change, the next action and its time, a questionnaire whose answers fill the profile),
 * or a note for colleagues in the shared log.
 */
export function FollowUpModal({
  target,
  note = false,
  onClose,
  onSaved,
}: {
  target: FollowUpTarget
  /** a collaboration note instead of a contact. */
  note?: boolean
  onClose(): void
  onSaved(f: z.infer<typeof FollowUp>, taskDone: boolean): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [sets, setSets] = useState<QuestionSetData[]>([])
  const setId = Form.useWatch('setId', form)
  const chosenSet = sets.find((s) => s.id === setId)

  useEffect(() => {
    if (note) return
    void api.try('questionnaires.list', {}).then((r) => r.ok && setSets(r.value.sets.filter((s) => s.active && s.surveyKind === null)))
  }, [api, note])

  /** logs the follow-up, then closes the task it answers when asked (the button spins through both) */
  async function send(v: Values): Promise<Result<{ followUp: z.infer<typeof FollowUp>; taskDone: boolean }>> {
    const nextAction = v.nextAction?.trim() || undefined
    const r = await api.try('followups.create', {
      clientId: target.clientId,
      channel: note ? 'note' : v.channel,
      content: v.content,
      intention: v.intention,
      stageTo: v.stageTo,
      nextAction,
      nextDueAt: v.nextDueAt ? fromPicker(v.nextDueAt) : undefined,
      questionnaire: chosenSet ? { setId: chosenSet.id, answers: toAnswers(chosenSet, v.answers ?? {}) } : undefined,
    })
    if (!r.ok) return r
    let taskDone = false
    if (target.task && v.completeTask) {
      const done = await api.try('tasks.complete', { id: target.task.id, note: v.content.slice(0, 500) })
      // the rules engine may have closed it already on the follow-up itself
      taskDone = done.ok || done.error.reason === 'task_closed'
    }
    return { ok: true, value: { followUp: r.value, taskDone } }
  }

  const save = useFormSave(form, {
    save: send,
    saved: ({ followUp, taskDone }) => {
      void message.success(t(note ? 'work.followUp.noteSaved' : taskDone ? 'work.followUp.taskAlsoDone' : 'work.followUp.saved'))
      onSaved(followUp, taskDone)
    },
    close: onClose,
    texts: WORK_SAVE_TEXTS,
    draft: `followUp.${target.clientId}.${note ? 'note' : 'contact'}`,
  })

  const required = (field: string) => [{ required: true, whitespace: true, message: t('work.validation.required', { field }) }]

  return (
    <Dialog
      open
      width={note ? 520 : 720}
      title={t(note ? 'work.followUp.noteTitle' : 'work.followUp.title', { name: target.clientName })}
      okText={t(note ? 'work.followUp.submitNote' : 'work.followUp.submit')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      maskClosable={false}
      modalRender={(dom) => (
        <Form
          form={form}
          name="followUp"
          layout="vertical"
          initialValues={{ channel: 'phone', completeTask: true }}
          onFinish={save.submit}
          requiredMark={false}
        >
          {dom}
        </Form>
      )}
    >
      {save.problem}
      {!note && (
        <Form.Item name="channel" label={t('work.followUp.channel')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`clients.enums.followUpChannel.${c}`) }))} />
        </Form.Item>
      )}
      <Form.Item name="content" label={t('work.followUp.content')} rules={[...required(t('work.followUp.content')), textRule(t, 'note')]}>
        <Input.TextArea
          rows={note ? 4 : 3}
          maxLength={2000}
          showCount
          placeholder={t(note ? 'work.followUp.notePlaceholder' : 'work.followUp.contentPlaceholder')}
          // what was said is what the agent came to type (Ctrl+Enter saves, see DialogKeys)
          data-autofocus
        />
      </Form.Item>
      {!note && (
        <>
          <div className="work-form-grid">
            <Form.Item name="intention" label={t('work.followUp.intention')}>
              <Select
                allowClear
                placeholder={t('work.followUp.stageKeep')}
                options={Intention.options.map((i) => ({ value: i, label: t(`clients.enums.intention.${i}`) }))}
              />
            </Form.Item>
            <Form.Item name="stageTo" label={t('work.followUp.stageTo')}>
              <Select allowClear placeholder={t('work.followUp.stageKeep')} options={STAGES.map((s) => ({ value: s, label: t(`clients.enums.stage.${s}`) }))} />
            </Form.Item>
            <Form.Item
              name="nextAction"
              label={t('work.followUp.nextAction')}
              dependencies={['nextDueAt']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_r, value: string | undefined) =>
                    getFieldValue('nextDueAt') && !value?.trim() ? Promise.reject(new Error(t('work.errors.next_action_pair'))) : Promise.resolve(),
                }),
              ]}
            >
              <Input maxLength={200} placeholder={t('work.followUp.nextActionPlaceholder')} />
            </Form.Item>
            <Form.Item
              name="nextDueAt"
              label={t('work.followUp.nextDueAt')}
              dependencies={['nextAction']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_r, value: Dayjs | undefined) => {
                    const action = (getFieldValue('nextAction') as string | undefined)?.trim()
                    if (action && !value) return Promise.reject(new Error(t('work.errors.next_action_pair')))
                    if (value && !value.isAfter(branchNowPicker())) return Promise.reject(new Error(t('work.errors.in_past_nextDueAt')))
                    return Promise.resolve()
                  },
                }),
              ]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm', minuteStep: 5 }}
                needConfirm={false}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                presets={presets(t)}
                disabledDate={(d) => d.isBefore(branchNowPicker(), 'day')}
              />
            </Form.Item>
          </div>
          {sets.length > 0 && (
            <Form.Item name="setId" label={t('work.followUp.questionnaire')} extra={t('work.followUp.questionnaireHint')}>
              <Select allowClear placeholder={t('work.followUp.questionnaireNone')} options={sets.map((s) => ({ value: s.id, label: s.name }))} />
            </Form.Item>
          )}
          {chosenSet && <QuestionnaireFields set={chosenSet} />}
        </>
      )}
      {target.task && !note && (
        <Form.Item name="completeTask" valuePropName="checked" style={{ marginBottom: 0 }}>
          <Checkbox>
            <Typography.Text>{t('work.followUp.completeTask', { title: target.task.title })}</Typography.Text>
          </Checkbox>
        </Form.Item>
      )}
    </Dialog>
  )
}
