import { PrinterOutlined } from '@ant-design/icons'
import { Alert, App, Button, Descriptions, Input, Popconfirm, Space, Table, Tag } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { useCountdown } from '../../app/use-countdown'
import { errorText } from '../../i18n/error-text'
import { clockText, useEventPoll, type EventView } from './use-subscription'
import { RulesPrint } from './rules-print'

type Entry = EventView['queue'][number]
const STATE_COLOR: Record<Entry['state'], string> = { waiting: 'default', present: 'blue', picked: 'green', passed: 'orange', absent: 'red' }

/** The manager's console: where the day stands, the countdown, calling and extending, the draw, and the queue with absentees. */
export function ConsolePanel({ eventId, onDeleted }: { eventId: number; onDeleted: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const { data, until, problem, reload } = useEventPoll('subscription.event', eventId)
  const left = useCountdown(until)
  const [publicValue, setPublicValue] = useState('')
  const [reason, setReason] = useState('')
  const [printRules, setPrintRules] = useState(false)
  const manager = mayCall(me.role, 'subscription.callNext')

  const run = async (p: Promise<{ ok: true } | { ok: false; error: Parameters<typeof errorText>[1] }>) => {
    const r = await p
    if (!r.ok) message.error(errorText(t, r.error))
    await reload()
  }

  const autoRun = async () => {
    const r = await api.try('subscription.autoRun', { eventId })
    if (!r.ok) message.error(errorText(t, r.error))
    else message.info(t('subscription.rehearsal.autoRan', { picked: r.value.picks.filter((p) => p.unitId !== null).length, passed: r.value.picks.filter((p) => p.unitId === null).length }))
    await reload()
  }
  const deleteRehearsal = async () => {
    const r = await api.try('subscription.deleteRehearsal', { eventId })
    if (!r.ok) return void message.error(errorText(t, r.error))
    onDeleted()
  }

  if (problem) return <Alert type="error" showIcon message={t('subscription.loadFailed', { text: errorText(t, problem) })} />
  if (!data) return null
  const e = data.event
  const columns: ColumnsType<Entry> = [
    { key: 'cardNo', title: t('subscription.cardNo'), width: 80, render: (_, r) => r.cardNo },
    { key: 'holder', title: t('subscription.holder'), render: (_, r) => r.clientName },
    { key: 'group', title: t('subscription.group'), width: 110, render: (_, r) => `${r.day}-${r.group}` },
    { key: 'state', title: '', width: 90, render: (_, r) => <Tag color={STATE_COLOR[r.state]}>{t(`subscription.state.${r.state}`)}</Tag> },
    {
      key: 'act',
      title: '',
      width: 110,
      render: (_, r) =>
        e.status === 'running' && r.day === e.day && r.group <= e.group && (r.state === 'waiting' || r.state === 'present') ? (
          <Button size="small" danger onClick={() => void run(api.try('subscription.markAbsent', { eventId, cardNo: r.cardNo }))}>
            {t('subscription.markAbsent')}
          </Button>
        ) : null,
    },
  ]
  const draw = e.draws.filter((d) => !d.void).at(-1)
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={e.name}>
          {e.rehearsal && (
            <Tag color="purple" data-testid="event-rehearsal">
              {t('subscription.rehearsal.tag')}
            </Tag>
          )}
          <Tag data-testid="event-status">{t(`subscription.status.${e.status}`)}</Tag> {t(`subscription.orderBy.${e.orderBy}`)}{' '}
          <Button size="small" icon={<PrinterOutlined />} onClick={() => setPrintRules(true)}>
            {t('subscription.rulesPrint.open')}
          </Button>
          <RulesPrint event={e} open={printRules} onClose={() => setPrintRules(false)} />
        </Descriptions.Item>
        <Descriptions.Item label={t('subscription.group')}>
          <span data-testid="console-group">{e.day > 0 ? t('subscription.dayGroup', { day: e.day, group: e.group, groups: e.groupsToday }) : '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('subscription.countdown')}>
          <span className="sub-console-clock">{e.status === 'running' ? clockText(left) : '—'}</span>
        </Descriptions.Item>
      </Descriptions>
      {manager && (
        <Space wrap>
          <Button type="primary" onClick={() => void run(api.try('subscription.callNext', { eventId }))} disabled={!['ready', 'running', 'between'].includes(e.status)}>
            {t('subscription.callNext')}
          </Button>
          <Button onClick={() => void run(api.try('subscription.extend', { eventId, minutes: 5 }))} disabled={e.status !== 'running'}>
            {t('subscription.extend')}
          </Button>
          {e.rehearsal && mayCall(me.role, 'subscription.autoRun') && (
            <Button disabled={e.status !== 'running'} onClick={() => void autoRun()}>
              {t('subscription.rehearsal.autoRun')}
            </Button>
          )}
          {e.rehearsal && mayCall(me.role, 'subscription.deleteRehearsal') && (
            <Popconfirm title={t('subscription.rehearsal.deleteConfirm')} onConfirm={() => void deleteRehearsal()}>
              <Button danger>{t('subscription.rehearsal.delete')}</Button>
            </Popconfirm>
          )}
          {e.orderBy === 'draw' && e.status === 'setup' && (
            <Space.Compact>
              <Input style={{ width: 320 }} placeholder={t('subscription.publicValue')} aria-label={t('subscription.publicValue')} value={publicValue} onChange={(x) => setPublicValue(x.target.value)} />
              <Button onClick={() => void run(api.try('subscription.commitDraw', { eventId, publicValue }))}>{t('subscription.commitDraw')}</Button>
            </Space.Compact>
          )}
          {e.status === 'drawing' && <Button onClick={() => void run(api.try('subscription.revealDraw', { eventId }))}>{t('subscription.revealDraw')}</Button>}
          {(e.status === 'drawing' || (e.status === 'ready' && draw)) && (
            <Space.Compact>
              <Input style={{ width: 320 }} placeholder={t('subscription.redrawReason')} aria-label={t('subscription.redrawReason')} value={reason} onChange={(x) => setReason(x.target.value)} />
              <Popconfirm title={t('subscription.redrawReason')} onConfirm={() => void run(api.try('subscription.redraw', { eventId, reason }))}>
                <Button danger disabled={reason.trim().length < 4}>
                  {t('subscription.redraw')}
                </Button>
              </Popconfirm>
            </Space.Compact>
          )}
        </Space>
      )}
      <Table size="small" rowKey="cardId" columns={columns} dataSource={data.queue} pagination={{ pageSize: 20 }} title={() => t('subscription.queue')} />
    </Space>
  )
}
