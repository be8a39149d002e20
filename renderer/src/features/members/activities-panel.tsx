import { CheckCircleFilled, CloseCircleFilled, CreditCardOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons'
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, List, Space, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { branchPickerAt, fromPicker } from '../../app/branch-picker'
import { typedFormat, useCardSwipes } from '../front-desk/card-swipes'
import type { CardReadInput } from '../front-desk/swipe-catcher'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { DESK_SAVE_TEXTS, deskErrorText } from '../front-desk/desk-errors'
import { useFormSave } from '../../app/use-form-save'
import { Dialog } from '../../app/dialog'

type Activity = OutputOf<'activities.list'>['activities'][number]

const DAY_MS = 86_400_000

/** 会员活动: upcoming and recent activities; managers create them; sign members up; check in by swipe. */
export function ActivitiesPanel({ mayCreate }: { mayCreate: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const [activities, setActivities] = useState<Activity[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [signUp, setSignUp] = useState<Activity | null>(null)
  const [checkIn, setCheckIn] = useState<Activity | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('activities.list', { from: new Date(Date.now() - 30 * DAY_MS).toISOString() })
    if (r.ok) {
      setActivities(r.value.activities)
      setError(null)
    } else setError(deskErrorText(t, r.error))
  }, [api, t])

  useEffect(() => {
    void load()
  }, [load])

  return (
    <div className="members-panel">
      <Space className="members-toolbar">
        {mayCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="activity-create">
            {t('members.activities.create')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('members.activities.hint')}</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<Activity>
        size="middle"
        rowKey="id"
        loading={activities === null && !error}
        dataSource={activities ?? []}
        pagination={false}
        locale={{ emptyText: t('members.activities.empty') }}
        columns={[
          { title: t('members.activities.name'), dataIndex: 'name', render: (v: string) => <strong>{v}</strong> },
          { title: t('members.activities.time'), key: 'time', render: (_: unknown, a) => `${formatBranchTime(a.startsAt)} – ${formatBranchTime(a.endsAt).slice(11)}` },
          { title: t('members.activities.place'), dataIndex: 'place', render: (v: string | null) => v ?? '—' },
          { title: t('members.activities.points'), dataIndex: 'points', align: 'right' },
          {
            title: t('members.activities.signedUp'),
            key: 'signedUp',
            render: (_: unknown, a) => (a.capacity !== null ? `${a.signedUp} / ${a.capacity}` : a.signedUp),
          },
          { title: t('members.activities.checkedIn'), dataIndex: 'checkedIn' },
          {
            title: '',
            key: 'actions',
            render: (_: unknown, a) => (
              <Space>
                <Button size="small" icon={<UserAddOutlined />} onClick={() => setSignUp(a)}>
                  {t('members.activities.signUp')}
                </Button>
                <Button size="small" type="primary" ghost icon={<CreditCardOutlined />} onClick={() => setCheckIn(a)} data-testid="activity-check-in">
                  {t('members.activities.checkIn')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <CreateActivityModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false)
          void load()
        }}
      />
      <SignUpModal
        activity={signUp}
        onClose={() => setSignUp(null)}
        onDone={() => {
          setSignUp(null)
          void load()
        }}
      />
      <CheckInModal
        activity={checkIn}
        onClose={() => {
          setCheckIn(null)
          void load()
        }}
      />
    </div>
  )
}

interface CreateValues {
  name: string
  startsAt: Dayjs
  endsAt: Dayjs
  place?: string
  capacity?: number | null
  points?: number | null
}

function CreateActivityModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<CreateValues>()

  useEffect(() => {
    if (!open) return
    form.resetFields()
    form.setFieldsValue({ startsAt: branchPickerAt(7, 10), endsAt: branchPickerAt(7, 12), points: 50 })
  }, [open, form])

  const save = useFormSave(form, {
    save: (v) =>
      api.try('activities.create', {
        name: v.name,
        startsAt: fromPicker(v.startsAt),
        endsAt: fromPicker(v.endsAt),
        ...(v.place?.trim() ? { place: v.place.trim() } : {}),
        ...(v.capacity ? { capacity: v.capacity } : {}),
        points: v.points ?? 0,
      }),
    saved: (activity) => {
      void message.success(t('members.activities.created', { name: activity.name }))
      onDone()
    },
    close: onClose,
    texts: DESK_SAVE_TEXTS,
  })

  return (
    <Dialog
      open={open}
      title={t('members.activities.create')}
      onCancel={save.cancel}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={save.saving}
      destroyOnHidden
    >
      {save.problem}
      <Form form={form} layout="vertical" name="activity" onFinish={save.submit} requiredMark={false}>
        <Form.Item name="name" label={t('members.activities.name')} rules={[{ required: true, whitespace: true, message: t('members.activities.nameRequired') }]}>
          <Input maxLength={60} placeholder={t('members.activities.namePlaceholder')} />
        </Form.Item>
        <Space size={12}>
          <Form.Item name="startsAt" label={t('members.activities.startsAt')} rules={[{ required: true, message: t('members.activities.timeRequired') }]}>
            <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" needConfirm={false} />
          </Form.Item>
          <Form.Item name="endsAt" label={t('members.activities.endsAt')} rules={[{ required: true, message: t('members.activities.timeRequired') }]}>
            <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" needConfirm={false} />
          </Form.Item>
        </Space>
        <Form.Item name="place" label={t('members.activities.place')}>
          <Input maxLength={100} />
        </Form.Item>
        <Space size={12}>
          <Form.Item name="capacity" label={t('members.activities.capacity')}>
            <InputNumber min={1} max={10_000} precision={0} placeholder={t('members.activities.noLimit')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="points" label={t('members.activities.points')}>
            <InputNumber min={0} max={10_000} precision={0} style={{ width: 160 }} />
          </Form.Item>
        </Space>
      </Form>
    </Dialog>
  )
}

function SignUpModal({ activity, onClose, onDone }: { activity: Activity | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [client, setClient] = useState<PickedClient | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    setClient(null)
    setError(null)
  }, [activity])

  const submit = async () => {
    if (!activity) return
    if (!client) return setError(t('frontDesk.issue.pickFirst'))
    setSaving(true)
    const r = await api.try('activities.signUp', { activityId: activity.id, clientId: client.id })
    setSaving(false)
    if (!r.ok) return setError(deskErrorText(t, r.error))
    void message.success(t('members.activities.signedUpDone', { name: client.name, activity: activity.name }))
    onDone()
  }

  return (
    <Dialog
      open={activity !== null}
      title={t('members.activities.signUpTitle', { name: activity?.name ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('members.activities.signUp')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
    >
      <ClientPicker value={client} onChange={setClient} aria-label={t('frontDesk.issue.client')} />
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} />}
    </Dialog>
  )
}

interface CheckedIn {
  key: number
  at: string
  ok: boolean
  text: string
}

/** 活动签到: each card swiped checks its member in and awards the activity's points once. */
function CheckInModal({ activity, onClose }: { activity: Activity | null; onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [log, setLog] = useState<CheckedIn[]>([])
  const [typed, setTyped] = useState('')

  useEffect(() => {
    setLog([])
    setTyped('')
  }, [activity])

  const take = async (read: CardReadInput) => {
    if (!activity) return
    const r = await api.try('activities.checkIn', { activityId: activity.id, read })
    const entry: CheckedIn = r.ok
      ? {
          key: performance.now(),
          at: new Date().toISOString(),
          ok: true,
          text:
            r.value.pointsAwarded > 0
              ? t('members.checkIn.doneWithPoints', { name: r.value.name, points: r.value.pointsAwarded })
              : t('members.checkIn.done', { name: r.value.name }),
        }
      : { key: performance.now(), at: new Date().toISOString(), ok: false, text: deskErrorText(t, r.error) }
    setLog((l) => [entry, ...l].slice(0, 50))
  }

  useCardSwipes({ onSwipe: (read) => void take(read), onRejected: () => setLog((l) => [{ key: performance.now(), at: new Date().toISOString(), ok: false, text: t('frontDesk.reader.rejected') }, ...l]) }, activity !== null)

  return (
    <Dialog focusFirstField={false} open={activity !== null} title={t('members.checkIn.title', { name: activity?.name ?? '' })} onCancel={onClose} footer={null} width={560} destroyOnHidden>
      <div className="desk-wait-card" data-testid="check-in-modal">
        <CreditCardOutlined className="desk-wait-icon" />
        <Typography.Title level={4}>{t('members.checkIn.swipe')}</Typography.Title>
        <Input
          style={{ width: 320 }}
          aria-label={t('frontDesk.wait.typeLabel')}
          placeholder={t('frontDesk.wait.typePlaceholder')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onPressEnter={() => {
            if (!typed.trim()) return
            void take({ text: typed.trim(), format: typedFormat() })
            setTyped('')
          }}
        />
      </div>
      <List
        size="small"
        dataSource={log}
        locale={{ emptyText: t('members.checkIn.none') }}
        renderItem={(e) => (
          <List.Item data-testid="check-in-entry">
            <Space>
              {e.ok ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />}
              <Typography.Text type={e.ok ? undefined : 'danger'}>{e.text}</Typography.Text>
            </Space>
            <Typography.Text type="secondary">{formatBranchTime(e.at).slice(11)}</Typography.Text>
          </List.Item>
        )}
      />
    </Dialog>
  )
}
