import {
  CalendarOutlined,
  CheckOutlined,
  EditOutlined,
  FormOutlined,
  PrinterOutlined,
  ReloadOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { Alert, App, Badge, Button, Card, List, Space, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ClientRow } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import type { Task, Today } from '@shared/contract/tasks'
import { mayCall } from '@shared/domain/permissions'
import { useReconnected } from '../../api/connection'
import { useApi, useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { navigate } from '../../app/use-hash-route'
import { ClientLogDrawer } from './client-log-drawer'
import { FollowUpModal, type FollowUpTarget } from './follow-up-modal'
import { useNoticeBursts } from './live-notices'
import { ViewingBookModal, type ViewingData } from './viewing-book-modal'
import { openViewingSheet, viewingPlace, ViewingStatusTag } from './viewing-list'
import { ViewingRecordModal } from './viewing-record-modal'
import { workErrorText } from './work-errors'
import { formatBranchClock, formatBranchShort } from '@shared/domain/branch-time'
import { agoText } from './work-time'
import './work.css'
import { hostText } from '../../i18n/host-text'

type TaskData = z.infer<typeof Task>
type TodayData = z.infer<typeof Today>

type Dialog =
  | { kind: 'followUp'; target: FollowUpTarget }
  | { kind: 'book'; clientId: number; clientName: string }
  | { kind: 'record'; viewing: ViewingData }
  | { kind: 'log'; clientId: number; title: string }
  | null

const REFRESH_MS = 60_000

function clientTitle(name: string | null, code: string | null): string {
  return [name, code].filter(Boolean).join(' · ')
}

/** One section of the Today page: a card with a count and an empty text. */
function Section({ id, title, count, danger, empty, children }: { id: string; title: string; count: number; danger?: boolean; empty: string; children: ReactNode }) {
  return (
    <Card
      size="small"
      data-testid={`today-section-${id}`}
      className={danger && count > 0 ? 'work-card work-card-danger' : 'work-card'}
      title={
        <Space>
          <span>{title}</span>
          <Badge count={count} showZero color={danger && count > 0 ? '#cf1322' : '#8c8c8c'} overflowCount={999} />
        </Space>
      }
    >
      {count === 0 ? <Typography.Text type="secondary">{empty}</Typography.Text> : children}
    </Card>
  )
}

/**
 * 跟进: the agent's day. Overdue (red) and due tasks, today's viewings, clients waking up and
 * fresh pool claims, each one click from logging a follow-up; live on the host's notices.
 */
export function FollowUpsPage(_props: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message, modal } = App.useApp()
  const [today, setToday] = useState<TodayData | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [dialog, setDialog] = useState<Dialog>(null)
  const mayLog = mayCall(me.role, 'followups.create')
  const mayBook = mayCall(me.role, 'viewings.book')

  const load = useCallback(async () => {
    const r = await api.try('tasks.today', {})
    if (r.ok) {
      setToday(r.value)
      setProblem(null)
    } else setProblem(r.error)
  }, [api])

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    const onVisible = () => document.visibilityState === 'visible' && void load()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [load])

  // the header shows the notices; this page reloads what they may have changed
  useNoticeBursts(() => void load())
  useReconnected(() => void load())

  function completeTask(task: TaskData) {
    modal.confirm({
      title: t('work.today.completeTitle', { title: hostText(t, task.title) }),
      content: task.clientName ? clientTitle(task.clientName, task.clientCode) : undefined,
      okText: t('work.today.complete'),
      cancelText: t('work.common.cancel'),
      onOk: async () => {
        const r = await api.try('tasks.complete', { id: task.id })
        if (!r.ok && r.error.reason !== 'task_closed') return void message.error(workErrorText(t, r.error))
        void message.success(t('work.today.completed'))
        void load()
      },
    })
  }

  const openLog = (clientId: number, title: string) => setDialog({ kind: 'log', clientId, title })

  // plain render functions, not components: a reload must not remount the rows (focus stays put)
  function clientLink(id: number | null, name: string | null, code: string | null) {
    if (id === null) return <Typography.Text type="secondary">{t('work.today.noClient')}</Typography.Text>
    return (
      <span className="work-client-link">
        <Button type="link" size="small" onClick={() => openLog(id, clientTitle(name, code))}>
          {name}
        </Button>
        <Typography.Text type="secondary">{code}</Typography.Text>
      </span>
    )
  }

  function clientActions(id: number, name: string, task?: TaskData) {
    return (
      <Space size={4} wrap>
        {mayLog && (
          <Button
            size="small"
            type="primary"
            icon={<EditOutlined />}
            onClick={() => setDialog({ kind: 'followUp', target: { clientId: id, clientName: name, task: task && { id: task.id, title: hostText(t, task.title) } } })}
          >
            {t('work.today.logFollowUp')}
          </Button>
        )}
        {task && (
          <Button size="small" icon={<CheckOutlined />} onClick={() => completeTask(task)}>
            {t('work.today.complete')}
          </Button>
        )}
        {mayBook && (
          <Button size="small" icon={<CalendarOutlined />} onClick={() => setDialog({ kind: 'book', clientId: id, clientName: name })}>
            {t('work.today.bookViewing')}
          </Button>
        )}
        <Button size="small" type="link" icon={<UserOutlined />} onClick={() => navigate(`/clients/${id}`)}>
          {t('work.common.openProfile')}
        </Button>
      </Space>
    )
  }

  function taskList(tasks: TaskData[]) {
    return (
      <List<TaskData>
        dataSource={tasks}
        rowKey="id"
        size="small"
        renderItem={(task) => (
          <List.Item className={task.overdue ? 'work-task work-task-overdue' : 'work-task'} data-testid="today-task">
            <div className="work-task-main">
              <div className="work-task-title">
                {task.overdue ? (
                  <Tag color="red">{t('work.today.overdueBy', { text: agoText(t, task.dueAt) })}</Tag>
                ) : (
                  <Tag color="blue">{t('work.today.dueAt', { time: formatBranchShort(task.dueAt) })}</Tag>
                )}
                <Typography.Text strong>{hostText(t, task.title)}</Typography.Text>
              </div>
              {clientLink(task.clientId, task.clientName, task.clientCode)}
            </div>
            {task.clientId !== null ? (
              clientActions(task.clientId, task.clientName ?? '', task)
            ) : (
              <Button size="small" icon={<CheckOutlined />} onClick={() => completeTask(task)}>
                {t('work.today.complete')}
              </Button>
            )}
          </List.Item>
        )}
      />
    )
  }

  const dayText = today ? dayjs(today.day).format(t('work.today.dayFormat')) : ''

  return (
    <div className="work-today-page">
      <div className="work-toolbar">
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('work.today.heading', { name: me.name, day: dayText })}
          </Typography.Title>
          {today && (
            <Typography.Text type="secondary">
              {t('work.today.summary', { overdue: today.overdue.length, due: today.due.length, viewings: today.viewings.length })}
            </Typography.Text>
          )}
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('work.common.refresh')}
          </Button>
        </Space>
      </div>

      {problem && <Alert type="error" showIcon message={t('work.common.loadFailed', { text: workErrorText(t, problem) })} role="alert" />}

      {today && (
        <div className="work-today-grid">
          <div className="work-today-column">
            <Section id="overdue" title={t('work.today.overdue')} count={today.overdue.length} danger empty={t('work.today.emptyOverdue')}>
              {taskList(today.overdue)}
            </Section>
            <Section id="due" title={t('work.today.due')} count={today.due.length} empty={t('work.today.emptyDue')}>
              {taskList(today.due)}
            </Section>
            <Section id="waking" title={t('work.today.wakingUp')} count={today.wakingUp.length} empty={t('work.today.emptyWakingUp')}>
              {taskList(today.wakingUp)}
            </Section>
          </div>
          <div className="work-today-column">
            <Section id="viewings" title={t('work.today.viewings')} count={today.viewings.length} empty={t('work.today.emptyViewings')}>
              <List<ViewingData>
                dataSource={today.viewings}
                rowKey="id"
                size="small"
                renderItem={(v) => (
                  <List.Item className="work-task" data-testid="today-viewing">
                    <div className="work-task-main">
                      <div className="work-task-title">
                        <Typography.Text strong>
                          {formatBranchClock(v.startsAt)}–{formatBranchClock(v.endsAt)}
                        </Typography.Text>
                        <ViewingStatusTag status={v.status} />
                        <Typography.Text>{viewingPlace(t, v)}</Typography.Text>
                      </div>
                      {clientLink(v.clientId, v.clientName, v.clientCode)}
                    </div>
                    <Space size={4}>
                      {v.status === 'booked' && mayCall(me.role, 'viewings.record') && (
                        <Button size="small" icon={<FormOutlined />} onClick={() => setDialog({ kind: 'record', viewing: v })}>
                          {t('work.viewing.record')}
                        </Button>
                      )}
                      {mayCall(me.role, 'viewings.sheet') && (
                        <Button size="small" icon={<PrinterOutlined />} onClick={() => openViewingSheet(v.id)}>
                          {t('work.viewing.print')}
                        </Button>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            </Section>
            <Section id="claimed" title={t('work.today.claimed')} count={today.claimed.length} empty={t('work.today.emptyClaimed')}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('work.today.claimedHint')}
              </Typography.Paragraph>
              <List<ClientRow>
                dataSource={today.claimed}
                rowKey="id"
                size="small"
                renderItem={(c) => (
                  <List.Item className="work-task" data-testid="today-claimed-client">
                    <div className="work-task-main">
                      <div className="work-task-title">
                        <Tag>{t(`clients.enums.stage.${c.stage}`)}</Tag>
                        {clientLink(c.id, c.name, c.code)}
                      </div>
                      <Typography.Text type="secondary">
                        {[c.region, c.community].filter(Boolean).join(' · ')}
                        {'　'}
                        {c.lastFollowUpAt ? t('work.today.lastFollowUp', { time: formatBranchShort(c.lastFollowUpAt) }) : t('work.today.neverFollowedUp')}
                      </Typography.Text>
                    </div>
                    {clientActions(c.id, c.name)}
                  </List.Item>
                )}
              />
            </Section>
          </div>
        </div>
      )}

      {dialog?.kind === 'followUp' && <FollowUpModal target={dialog.target} onClose={() => setDialog(null)} onSaved={() => void load()} />}
      {dialog?.kind === 'book' && (
        <ViewingBookModal clientId={dialog.clientId} clientName={dialog.clientName} onClose={() => setDialog(null)} onBooked={() => void load()} />
      )}
      {dialog?.kind === 'record' && <ViewingRecordModal viewing={dialog.viewing} onClose={() => setDialog(null)} onRecorded={() => void load()} />}
      {dialog?.kind === 'log' && <ClientLogDrawer clientId={dialog.clientId} title={dialog.title} onClose={() => setDialog(null)} onChanged={() => void load()} />}
    </div>
  )
}
