import { Alert, App, Form, Input, Radio, Select, Typography } from 'antd'
import type { RadioRef } from 'antd/es/radio'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'
import { JobProgressBar, useJob } from './job-progress'
import { WORK_SAVE_TEXTS, workErrorText } from './work-errors'

interface Values {
  mode: 'colleagues' | 'pool'
  toStaffIds?: number[]
  reason?: string
}

/** Who is leaving: the staff row as the staff grid holds it. */
interface Departing {
  id: number
  name: string
}

/**
 * 离职交接 (managers and admins): deactivates a departing agent and, in the same step, hands
 * their clients to chosen colleagues (shared evenly) or back to the public pool. A large book moves
 * behind the answer, as a job: the dialog then shows its progress until the last client has moved.
 */
export function DepartModal({ staff, onClose, onDone }: { staff: Departing; onClose(): void; onDone(): void }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [colleagues, setColleagues] = useState<Array<{ value: number; label: string }>>([])
  // the colleagues could not be loaded
  const [loadProblem, setLoadProblem] = useState<ApiErrorShape | null>(null)
  const mode = Form.useWatch('mode', form) ?? 'colleagues'
  // the first field takes the focus once the dialog has opened (a radio group has no focus of its own)
  const firstField = useRef<RadioRef>(null)
  const [moving, setMoving] = useState<{ jobId: number; total: number; sessionsEnded: number } | null>(null)
  // the job stopped before the last client: the account is closed, the rest stay with the departed
  const [stopped, setStopped] = useState<ApiErrorShape | null>(null)
  const watch = useJob(
    moving?.jobId ?? null,
    (done) => {
      finish({ moved: done.result?.moved ?? 0, pooled: done.result?.pooled ?? 0, sessionsEnded: moving?.sessionsEnded ?? 0 })
      onClose()
    },
    (error) => setStopped(error ?? { code: 'INTERNAL', message: t('work.job.failed') }),
  )
  const number = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-US' : 'zh-CN')

  function finish(counts: { moved: number; pooled: number; sessionsEnded: number }) {
    // only what happened: no "0 位退回公客池" after a hand-over to colleagues
    const parts = [
      counts.moved > 0 && t('work.depart.doneMoved', { n: number(counts.moved) }),
      counts.pooled > 0 && t('work.depart.donePooled', { n: number(counts.pooled) }),
      counts.moved + counts.pooled === 0 && t('work.depart.doneNoClients'),
      counts.sessionsEnded > 0 && t('work.depart.doneSessions', { n: number(counts.sessionsEnded) }),
    ].filter((p): p is string => typeof p === 'string')
    void message.success(t('work.depart.done', { name: staff.name, parts: parts.join(t('work.depart.doneSeparator')) }), 6)
    onDone()
  }

  useEffect(() => {
    void api.try('staff.list', { active: true, limit: 500 }).then((r) => {
      if (!r.ok) return setLoadProblem(r.error)
      setColleagues(
        r.value.rows
          .filter((s) => s.id !== staff.id && (s.role === 'agent' || s.role === 'senior_agent' || s.role === 'manager'))
          .map((s) => ({ value: s.id, label: [s.name, s.team, t(`roles.${s.role}`)].filter(Boolean).join(' · ') })),
      )
    })
  }, [api, staff.id, t])

  const save = useFormSave(form, {
    save: (v) =>
      api.try('staff.depart', {
        id: staff.id,
        toStaffIds: v.mode === 'colleagues' ? (v.toStaffIds ?? []) : [],
        reason: v.reason?.trim() || t('work.depart.defaultReason'),
      }),
    saved: (r) => {
      if (r.finished) return finish(r)
      // the account is closed already; the clients are moving
      onDone()
      setMoving({ jobId: r.jobId, total: r.moved + r.pooled, sessionsEnded: r.sessionsEnded })
    },
    staysOpen: (r) => !r.finished,
    close: onClose,
    texts: WORK_SAVE_TEXTS,
  })

  // once the clients are moving, the dialog only follows them: nothing left to fill in, 关闭 leaves them moving
  const following = moving !== null
  return (
    <Dialog
      open
      title={t('work.depart.title', { name: staff.name })}
      okText={t('work.depart.submit')}
      cancelText={following ? t('work.depart.close') : t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving, danger: true }}
      footer={(buttons, { CancelBtn }) => (following ? <CancelBtn /> : buttons)}
      onCancel={save.cancel}
      destroyOnHidden
      maskClosable={false}
      afterOpenChange={(shown) => shown && firstField.current?.focus()}
      modalRender={(dom) => (
        <Form form={form} name="depart" layout="vertical" requiredMark={false} initialValues={{ mode: 'colleagues', reason: t('work.depart.defaultReason') }} onFinish={save.submit}>
          {dom}
        </Form>
      )}
    >
      {save.problem}
      {loadProblem && <Alert type="error" showIcon message={workErrorText(t, loadProblem)} style={{ marginBottom: 16 }} role="alert" />}
      {following ? (
        <div data-testid="depart-moving">
          <Typography.Paragraph>{t('work.depart.moving', { name: staff.name })}</Typography.Paragraph>
          <JobProgressBar watch={watch} kind="staff.depart" total={moving.total} />
          {stopped && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 16 }}
              role="alert"
              message={workErrorText(t, stopped)}
              description={t('work.depart.stopped', { name: staff.name, done: number(watch.job?.done ?? 0), total: number(watch.job?.total ?? 0) })}
            />
          )}
        </div>
      ) : (
        <>
          <Typography.Paragraph>{t('work.depart.hint')}</Typography.Paragraph>
          <Form.Item name="mode" label={t('work.depart.mode')}>
            <Radio.Group>
              <Radio value="colleagues" ref={firstField}>
                {t('work.depart.toColleagues')}
              </Radio>
              <Radio value="pool">{t('work.depart.toPool')}</Radio>
            </Radio.Group>
          </Form.Item>
          {mode === 'colleagues' && (
            <Form.Item
              name="toStaffIds"
              label={t('work.depart.colleagues')}
              rules={[{ required: true, type: 'array', min: 1, message: t('work.validation.choose', { field: t('work.depart.colleagues') }) }]}
            >
              <Select mode="multiple" showSearch optionFilterProp="label" options={colleagues} placeholder={t('work.depart.colleaguesPlaceholder')} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('work.depart.reason')}>
            <Input maxLength={200} />
          </Form.Item>
        </>
      )}
    </Dialog>
  )
}
