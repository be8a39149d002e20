import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Tabs, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { navigate } from '../../app/use-hash-route'
import { errorText } from '../../i18n/error-text'
import { CardsPanel } from './cards-panel'
import { ConsolePanel } from './console-panel'
import { DeskPanel } from './desk-panel'
import { DoorPanel } from './door-panel'
import { LobbyView } from './lobby-view'
import { SummaryPanel } from './summary-panel'
import { VerifyPanel } from './verify-panel'
import './subscription.css'

type EventRow = OutputOf<'subscription.events'>['events'][number]

/** The units of a project's board as choices ("1号楼-101"), loaded when a project is chosen. */
function useProjectUnits() {
  const api = useApi()
  const [units, setUnits] = useState<Array<{ value: number; label: string }>>([])
  const chooseProject = useCallback(
    async (projectId: number) => {
      const b = await api.try('board.get', { projectId })
      if (!b.ok) return setUnits([])
      const building = new Map(b.value.buildings.map((x) => [x.id, x.name]))
      setUnits(b.value.units.map((u) => ({ value: u.id, label: `${building.get(u.buildingId) ?? ''}-${u.number}` })))
    },
    [api],
  )
  return { units, chooseProject }
}

interface NewEvent {
  projectId: number
  name: string
  days: Dayjs[]
  orderBy: 'card' | 'draw'
  unitIds?: number[]
  cardsPerDay: number
  groupSize: number
  minutesPerGroup: number
  rulesText?: string
}

/** A new event: project, name, day(s), order, units in play (all the project's when none are chosen), cards a day, group size, minutes a group, rules. */
function CreateEvent({ onCreated }: { onCreated: (id: number) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [projects, setProjects] = useState<OutputOf<'projects.list'>['projects']>([])
  const { units, chooseProject } = useProjectUnits()
  useEffect(() => {
    void api.try('projects.list', {}).then((r) => r.ok && setProjects(r.value.projects))
  }, [api])
  const create = async (v: NewEvent) => {
    const unitIds = v.unitIds && v.unitIds.length > 0 ? v.unitIds : units.map((u) => u.value)
    const days = [...new Set(v.days.map((d) => d.format('YYYY-MM-DD')))].sort()
    const r = await api.try('subscription.createEvent', { projectId: v.projectId, name: v.name, days, unitIds, orderBy: v.orderBy, cardsPerDay: v.cardsPerDay, groupSize: v.groupSize, minutesPerGroup: v.minutesPerGroup, rulesText: v.rulesText ?? '' })
    if (!r.ok) return void message.error(errorText(t, r.error))
    onCreated(r.value.id)
  }
  return (
    <Form<NewEvent> layout="inline" onFinish={(v) => void create(v)} initialValues={{ orderBy: 'card', cardsPerDay: 100, groupSize: 10, minutesPerGroup: 15 }}>
      <Typography.Text strong style={{ marginRight: 12 }}>
        {t('subscription.createTitle')}
      </Typography.Text>
      <Form.Item name="projectId" rules={[{ required: true }]}>
        <Select style={{ width: 180 }} placeholder={t('subscription.project')} aria-label={t('subscription.project')} options={projects.map((p) => ({ value: p.id, label: p.name }))} onChange={(id: number) => void chooseProject(id)} />
      </Form.Item>
      <Form.Item name="name" rules={[{ required: true }]}>
        <Input placeholder={t('subscription.name')} aria-label={t('subscription.name')} maxLength={60} />
      </Form.Item>
      <Form.Item name="days" rules={[{ required: true }]}>
        <DatePicker multiple maxTagCount="responsive" style={{ minWidth: 160 }} placeholder={t('subscription.day')} aria-label={t('subscription.day')} />
      </Form.Item>
      <Form.Item name="orderBy">
        <Radio.Group options={(['card', 'draw'] as const).map((o) => ({ value: o, label: t(`subscription.orderBy.${o}`) }))} />
      </Form.Item>
      <Form.Item name="unitIds">
        <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: 260 }} placeholder={t('subscription.unitsInPlay')} aria-label={t('subscription.unitsInPlay')} options={units} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="cardsPerDay" label={t('subscription.cardsPerDay')} rules={[{ required: true }]}>
        <InputNumber min={1} max={1000} precision={0} aria-label={t('subscription.cardsPerDay')} />
      </Form.Item>
      <Form.Item name="groupSize" label={t('subscription.groupSize')} rules={[{ required: true }]}>
        <InputNumber min={1} max={100} precision={0} aria-label={t('subscription.groupSize')} />
      </Form.Item>
      <Form.Item name="minutesPerGroup" label={t('subscription.minutesPerGroup')} rules={[{ required: true }]}>
        <InputNumber min={1} max={240} precision={0} aria-label={t('subscription.minutesPerGroup')} />
      </Form.Item>
      <Form.Item name="rulesText">
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} style={{ width: 320 }} maxLength={4000} placeholder={t('subscription.rulesText')} aria-label={t('subscription.rulesText')} />
      </Form.Item>
      <Button htmlType="submit">{t('subscription.create')}</Button>
    </Form>
  )
}

/** 开始演练 (manager): a rehearsal of the day for a project, with generated holders; the units chosen in play (all the project's when none are). */
function StartRehearsal({ onCreated }: { onCreated: (id: number) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [projects, setProjects] = useState<OutputOf<'projects.list'>['projects']>([])
  useEffect(() => {
    void api.try('projects.list', {}).then((r) => r.ok && setProjects(r.value.projects))
  }, [api])
  const { units, chooseProject } = useProjectUnits()
  const start = async (v: { projectId: number; holders: number; unitIds?: number[] }) => {
    // no units chosen: every unit of the project is in play
    const unitIds = v.unitIds && v.unitIds.length > 0 ? v.unitIds : undefined
    const r = await api.try('subscription.rehearse', { projectId: v.projectId, holders: v.holders, unitIds })
    if (!r.ok) return void message.error(errorText(t, r.error))
    message.success(t('subscription.rehearsal.started', { n: v.holders }))
    onCreated(r.value.id)
  }
  return (
    <Form layout="inline" onFinish={(v) => void start(v)} initialValues={{ holders: 30 }}>
      <Typography.Text strong style={{ marginRight: 12 }}>
        {t('subscription.rehearsal.start')}
      </Typography.Text>
      <Form.Item name="projectId" rules={[{ required: true }]}>
        <Select style={{ width: 180 }} placeholder={t('subscription.project')} aria-label={t('subscription.project')} options={projects.map((p) => ({ value: p.id, label: p.name }))} onChange={(id: number) => void chooseProject(id)} />
      </Form.Item>
      <Form.Item name="unitIds">
        <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: 260 }} placeholder={t('subscription.rehearsal.units')} aria-label={t('subscription.rehearsal.units')} options={units} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="holders" label={t('subscription.rehearsal.holders')} rules={[{ required: true }]}>
        <InputNumber min={1} max={500} precision={0} aria-label={t('subscription.rehearsal.holders')} />
      </Form.Item>
      <Button htmlType="submit">{t('subscription.rehearsal.start')}</Button>
    </Form>
  )
}

/** 认购日 (#/subscription/<eventId>/<tab>): the console, the door, the picking desk, the lobby display and the draw verifier. */
export function SubscriptionPage({ params }: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [events, setEvents] = useState<EventRow[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const eventId = params[0] !== undefined && /^\d+$/.test(params[0]) ? Number(params[0]) : (events[0]?.id ?? null)
  const tab = params[1]
  const event = events.find((e) => e.id === eventId) ?? null

  const load = useCallback(async () => {
    const r = await api.try('subscription.events', {})
    if (!r.ok) return setProblem(errorText(t, r.error))
    setProblem(null)
    setEvents(r.value.events)
  }, [api, t])
  useEffect(() => {
    void load()
    // a call, a day's end or a new event changes a status in the list: read it again when pushed
    return api.on('subscription.changed', () => void load())
  }, [api, load])

  const tabs = [
    mayCall(me.role, 'subscription.event') && {
      key: 'console',
      label: t('subscription.tabs.console'),
      children: eventId && (
        <ConsolePanel
          eventId={eventId}
          onDeleted={() => {
            void load()
            navigate('/subscription')
          }}
        />
      ),
    },
    mayCall(me.role, 'subscription.checkIn') && { key: 'door', label: t('subscription.tabs.door'), children: eventId && <DoorPanel eventId={eventId} /> },
    mayCall(me.role, 'subscription.pick') && { key: 'desk', label: t('subscription.tabs.desk'), children: eventId && event && <DeskPanel eventId={eventId} projectId={event.projectId} rehearsal={event.rehearsal} /> },
    (mayCall(me.role, 'subscription.issueCard') || mayCall(me.role, 'subscription.cards')) && { key: 'cards', label: t('subscription.tabs.cards'), children: <CardsPanel eventId={eventId} /> },
    mayCall(me.role, 'subscription.summary') && { key: 'summary', label: t('subscription.tabs.summary'), children: eventId && <SummaryPanel eventId={eventId} /> },
    { key: 'lobby', label: t('subscription.tabs.lobby'), children: eventId && <LobbyView eventId={eventId} /> },
    { key: 'verify', label: t('subscription.tabs.verify'), children: <VerifyPanel /> },
  ].filter((x) => x !== false)

  return (
    <div className="sub-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('subscription.title')}
        </Typography.Title>
        <Select
          style={{ width: 280 }}
          placeholder={t('subscription.pickEvent')}
          aria-label={t('subscription.pickEvent')}
          notFoundContent={t('subscription.noEvent')}
          value={eventId}
          onChange={(id) => navigate(`/subscription/${id}/${tab ?? ''}`)}
          options={events.map((e) => ({ value: e.id, label: `${e.rehearsal ? `【${t('subscription.rehearsal.tag')}】` : ''}${e.name} · ${e.days.join('、')} · ${t(`subscription.status.${e.status}`)}` }))}
        />
      </Space>
      {mayCall(me.role, 'subscription.createEvent') && (
        <div style={{ marginBottom: 12 }}>
          <CreateEvent
            onCreated={(id) => {
              void load()
              navigate(`/subscription/${id}/console`)
            }}
          />
        </div>
      )}
      {mayCall(me.role, 'subscription.rehearse') && (
        <div style={{ marginBottom: 12 }}>
          <StartRehearsal
            onCreated={(id) => {
              void load()
              navigate(`/subscription/${id}/console`)
            }}
          />
        </div>
      )}
      {event?.rehearsal && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('subscription.rehearsal.banner')} />}
      {problem && <Alert type="error" showIcon message={problem} />}
      <Tabs activeKey={tab ?? tabs[0]?.key} onChange={(k) => navigate(`/subscription/${eventId ?? ''}/${k}`)} items={tabs} destroyInactiveTabPane />
    </div>
  )
}
