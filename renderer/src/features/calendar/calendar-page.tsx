import { LeftOutlined, PlusOutlined, ReloadOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons'
import { Alert, App, Button, Empty, Popconfirm, Segmented, Select, Space, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CalendarItem } from '@shared/contract/calendar'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchClock, formatBranchDate } from '@shared/domain/branch-time'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { errorText } from '../../i18n/error-text'
import { hostText } from '../../i18n/host-text'
import { turnPage, viewRange, type CalendarView } from './calendar-days'
import { EventDialog } from './event-dialog'
import './calendar.css'

type Range = OutputOf<'calendar.range'>
/** Whose calendar: the caller's, the team's, or one colleague's (by id). */
type Whose = 'mine' | 'team' | number

/** Items a month view's day shows before 另有 N 项 (which opens that day's week). */
const MONTH_CELL_ITEMS = 4

const KIND_COLOR: Record<CalendarItem['kind'], string> = { viewing: 'blue', task: 'orange', event: 'purple', birthday: 'magenta', holiday: 'red' }

/** 日历 (#/calendar): a week or month of viewings, tasks, birthdays, holidays and team events, with double bookings flagged. */
export function CalendarPage() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const today = formatBranchDate(new Date())
  const [view, setView] = useState<CalendarView>('week')
  const [anchor, setAnchor] = useState(today)
  const [whose, setWhose] = useState<Whose>('mine')
  const [data, setData] = useState<Range | null>(null)
  const [team, setTeam] = useState<Range['people']>([])
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [creating, setCreating] = useState(false)
  const leads = me.role === 'manager' || me.role === 'senior_agent'
  const range = useMemo(() => viewRange(view, anchor), [view, anchor])

  const load = useCallback(async () => {
    const who = whose === 'mine' ? {} : whose === 'team' ? { team: true } : { staffId: whose }
    const r = await api.try('calendar.range', { from: range.from, to: range.to, ...who })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
  }, [api, range, whose])

  useEffect(() => {
    void load()
  }, [load])

  // the people a lead may look at or invite: their team (a senior) or the branch (the manager)
  useEffect(() => {
    if (!leads) return
    void api.try('calendar.range', { from: today, to: viewRange('week', today).to, team: true }).then((r) => r.ok && setTeam(r.value.people))
  }, [api, leads, today])

  const conflicted = useMemo(() => new Set((data?.conflicts ?? []).flatMap((c) => c.keys)), [data])
  const byDay = useMemo(() => {
    const m = new Map<string, CalendarItem[]>()
    for (const it of data?.items ?? []) {
      const day = formatBranchDate(it.startsAt)
      const list = m.get(day)
      if (list) list.push(it)
      else m.set(day, [it])
    }
    return m
  }, [data])
  const nameOf = useMemo(() => new Map([...team, ...(data?.people ?? [])].map((p) => [p.id, p.name])), [team, data])
  const labelOf = (it: CalendarItem): string => {
    if (it.kind === 'holiday' && it.holiday) return t(`care.holidays.${it.holiday}`)
    if (it.kind === 'birthday') return t('calendar.birthdayOf', { name: it.title ?? '' })
    if (it.kind === 'task' && it.text) return `${hostText(t, it.text)}${it.title ? ` · ${it.title}` : ''}`
    if (it.kind === 'event' && it.eventKind) return `${t(`calendar.eventKinds.${it.eventKind}`)}：${it.title ?? ''}`
    return [it.title, it.place].filter(Boolean).join(' · ')
  }
  const itemByKey = useMemo(() => new Map((data?.items ?? []).map((i) => [i.key, i])), [data])

  async function cancel(it: CalendarItem) {
    const r = await api.try('calendar.cancelEvent', { id: Number(it.key.slice('event:'.length)), version: it.version ?? 0 })
    if (!r.ok) return void message.error(errorText(t, r.error))
    void message.success(t('calendar.cancelled'))
    void load()
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if ((e.target as HTMLElement).closest('input, textarea, .ant-select')) return
    if (e.key === 'PageUp') setAnchor(turnPage(view, anchor, -1))
    else if (e.key === 'PageDown') setAnchor(turnPage(view, anchor, 1))
    else if (e.key === 't' || e.key === 'T') setAnchor(today)
    else return
    e.preventDefault()
  }

  const whoseOptions = [
    { value: 'mine', label: t('calendar.mine') },
    ...(leads ? [{ value: 'team', label: t('calendar.team') }] : []),
    ...team.filter((p) => p.id !== me.id).map((p) => ({ value: p.id, label: p.name })),
  ]
  const month = anchor.slice(0, 7)

  return (
    <div className="calendar-page" tabIndex={-1} onKeyDown={onKeyDown} data-testid="calendar-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('calendar.title')}
        </Typography.Title>
        <Segmented<CalendarView> value={view} onChange={setView} options={[{ value: 'week', label: t('calendar.week') }, { value: 'month', label: t('calendar.month') }]} />
        <Button icon={<LeftOutlined />} aria-label={t('calendar.previous')} onClick={() => setAnchor(turnPage(view, anchor, -1))} />
        <Button onClick={() => setAnchor(today)}>{t('calendar.today')}</Button>
        <Button icon={<RightOutlined />} aria-label={t('calendar.next')} onClick={() => setAnchor(turnPage(view, anchor, 1))} />
        <Typography.Text strong>{view === 'week' ? `${range.days[0]} – ${range.days[6]}` : month}</Typography.Text>
        <Select<Whose> aria-label={t('calendar.whose')} style={{ minWidth: 140 }} value={whose} onChange={setWhose} options={whoseOptions} />
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('calendar.refresh')}
        </Button>
        {leads && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('calendar.newEvent')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('calendar.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={t('calendar.loadFailed', { text: errorText(t, problem) })} style={{ marginBottom: 12 }} />}
      {data?.truncated && <Alert type="warning" showIcon message={t('calendar.truncated')} style={{ marginBottom: 12 }} />}
      {data && data.conflicts.length > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          role="status"
          style={{ marginBottom: 12 }}
          message={t('calendar.conflicts', { count: data.conflicts.length })}
          description={data.conflicts.map((c) => {
            const [a, b] = c.keys.map((k) => itemByKey.get(k))
            const line = t('calendar.conflictLine', { name: nameOf.get(c.staffId) ?? '', a: a ? `${formatBranchClock(a.startsAt)} ${labelOf(a)}` : c.keys[0], b: b ? `${formatBranchClock(b.startsAt)} ${labelOf(b)}` : c.keys[1] })
            return <div key={`${c.staffId} ${c.keys.join(' ')}`}>{line}</div>
          })}
        />
      )}
      <div className={`calendar-grid calendar-${view}`} role="grid" aria-label={t('calendar.title')}>
        {(t('calendar.weekdays', { returnObjects: true }) as string[]).map((w) => (
          <div key={w} className="calendar-weekday" role="columnheader">
            {w}
          </div>
        ))}
        {range.days.map((day) => (
          <div key={day} role="gridcell" aria-label={day} className={`calendar-day${day === today ? ' is-today' : ''}${view === 'month' && day.slice(0, 7) !== month ? ' is-other-month' : ''}`}>
            <div className="calendar-date">{view === 'week' ? day.slice(5) : Number(day.slice(8))}</div>
            {(byDay.get(day) ?? []).slice(0, view === 'month' ? MONTH_CELL_ITEMS : undefined).map((it) => {
              const clash = conflicted.has(it.key)
              const time = it.allDay ? t('calendar.allDay') : formatBranchClock(it.startsAt)
              const who = whose === 'mine' ? '' : it.staffIds.map((id) => nameOf.get(id)).filter(Boolean).join('、')
              const body = (
                <>
                  <span className="calendar-time">{time}</span> <Tag color={KIND_COLOR[it.kind]}>{t(`calendar.kinds.${it.kind}`)}</Tag>
                  {clash && <WarningOutlined className="calendar-clash-icon" aria-label={t('calendar.conflicts', { count: 1 })} />} {labelOf(it)}
                  {who && <span className="calendar-who"> · {who}</span>}
                </>
              )
              const mayCancel = it.kind === 'event' && (me.role === 'manager' || it.createdBy === me.id)
              if (mayCancel) {
                return (
                  <Popconfirm key={it.key} title={t('calendar.cancelConfirm', { title: it.title ?? '' })} okText={t('calendar.cancelEvent')} onConfirm={() => void cancel(it)}>
                    <button type="button" className={`calendar-item${clash ? ' is-clash' : ''}`}>
                      {body}
                    </button>
                  </Popconfirm>
                )
              }
              return it.clientId !== null ? (
                <button key={it.key} type="button" className={`calendar-item${clash ? ' is-clash' : ''}`} onClick={() => navigate(`/clients/${it.clientId}`)}>
                  {body}
                </button>
              ) : (
                <div key={it.key} className={`calendar-item${clash ? ' is-clash' : ''}`}>
                  {body}
                </div>
              )
            })}
            {view === 'month' && (byDay.get(day)?.length ?? 0) > MONTH_CELL_ITEMS && (
              <Button type="link" size="small" onClick={() => {
                  setAnchor(day)
                  setView('week')
                }}>
                {t('calendar.more', { count: (byDay.get(day)?.length ?? 0) - MONTH_CELL_ITEMS })}
              </Button>
            )}
          </div>
        ))}
      </div>
      {data && data.items.length === 0 && <Empty description={t('calendar.empty')} />}
      {creating && <EventDialog people={team} onClose={() => setCreating(false)} onSaved={() => void load()} />}
    </div>
  )
}
