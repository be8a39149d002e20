import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Segmented, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { BirthdayRow, CareClient, HolidayKey, MilestoneRow, Occasion } from '@shared/contract/care'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchTime } from '@shared/domain/branch-time'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { clientErrorText } from '../clients/client-errors'
import { ExportButton, type ExportRequest } from '../export/export-button'
import { GreetingModal } from './greeting-modal'
import { PolicyNewsModal } from './policy-news-modal'
import { SkipModal } from './skip-modal'
import { TemplatesModal } from './templates-modal'
import './care.css'

type Row = z.infer<typeof CareClient> &
  Partial<Pick<z.infer<typeof BirthdayRow>, 'birthDate' | 'date' | 'daysAway'>> &
  Partial<Pick<z.infer<typeof MilestoneRow>, 'occasion' | 'since' | 'years' | 'unit'>>
interface Holiday {
  key: z.infer<typeof HolidayKey>
  date: string
  daysAway: number
}
/** Which list is shown: the birthdays, the deal anniversaries and handover calls, or a holiday's clients (by its key and date). */
type ListKey = 'birthdays' | 'milestones' | `${z.infer<typeof HolidayKey>} ${string}`

const PAGE = 50
const TIER_COLOR: Record<Row['tier'], string> = { vip: 'gold', key: 'blue', normal: 'default', potential: 'default' }

/** 客户关怀 (#/care): birthdays, holidays, deal anniversaries and handover calls of the coming week among the caller's clients, each done or skipped. */
export function CarePage() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [holidays, setHolidays] = useState<Holiday[]>([])
  const [list, setList] = useState<ListKey>('birthdays')
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ rows: Row[]; total: number } | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [greeting, setGreeting] = useState<Row | null>(null)
  const [skipping, setSkipping] = useState<Row | null>(null)
  const [dialog, setDialog] = useState<'templates' | 'policy' | null>(null)

  useEffect(() => {
    void api.try('care.holidays', {}).then((r) => (r.ok ? setHolidays(r.value.holidays) : setProblem(r.error)))
  }, [api])

  const holiday = list === 'birthdays' || list === 'milestones' ? null : (holidays.find((h) => `${h.key} ${h.date}` === list) ?? null)
  const careQuery = holiday ? { list: 'holiday' as const, holiday: holiday.key, date: holiday.date } : { list: list === 'milestones' ? ('milestones' as const) : ('birthdays' as const) }
  const exportQuery: ExportRequest = { grid: 'care', query: careQuery }
  // the SMS tool may take CSV (UTF-8 with BOM, phones as text) rather than a workbook
  const csvQuery: ExportRequest = { grid: 'care', query: careQuery, format: 'csv' }
  /** The occasion and date of a row on the list shown. */
  const itemOf = (r: Row): { occasion: z.infer<typeof Occasion>; date: string } => ({ occasion: holiday ? holiday.key : (r.occasion ?? 'birthday'), date: holiday ? holiday.date : (r.date ?? '') })

  const load = useCallback(async () => {
    const paging = { offset: (page - 1) * PAGE, limit: PAGE }
    const r = holiday
      ? await api.try('care.holidayClients', { holiday: holiday.key, date: holiday.date, ...paging })
      : list === 'milestones'
        ? await api.try('care.milestones', paging)
        : await api.try('care.birthdays', paging)
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
  }, [api, page, holiday, list])

  useEffect(() => {
    void load()
  }, [load])

  const when = (daysAway: number) => (daysAway === 0 ? t('care.today') : t('care.inDays', { count: daysAway }))

  const columns: ColumnsType<Row> = [
    {
      key: 'client',
      title: t('care.client'),
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => navigate(`/clients/${r.clientId}`)}>
          {r.name} · {r.code}
        </Button>
      ),
    },
    { key: 'tier', title: t('care.tier'), width: 80, render: (_, r) => <Tag color={TIER_COLOR[r.tier]}>{t(`clients.enums.tier.${r.tier}`)}</Tag> },
    { key: 'phone', title: t('care.phone'), width: 140, render: (_, r) => r.phone ?? '' },
    { key: 'owner', title: t('care.owner'), width: 120, render: (_, r) => r.owner?.name ?? '' },
    ...(holiday
      ? []
      : list === 'milestones'
        ? [
            {
              key: 'occasion',
              title: t('care.occasion'),
              width: 150,
              render: (_: unknown, r: Row) => (r.occasion === 'dealAnniversary' ? t('care.occasions.dealAnniversary', { years: r.years ?? 0 }) : t('care.occasions.handoverMonth')),
            },
            { key: 'since', title: t('care.since'), width: 120, render: (_: unknown, r: Row) => r.since ?? '' },
            { key: 'unit', title: t('care.unit'), width: 120, render: (_: unknown, r: Row) => r.unit ?? '' },
            { key: 'when', title: t('care.when'), width: 150, render: (_: unknown, r: Row) => (r.date ? `${r.date}（${when(r.daysAway ?? 0)}）` : '') },
          ]
        : [
            { key: 'birthDate', title: t('care.birthday'), width: 120, render: (_: unknown, r: Row) => r.birthDate ?? '' },
            { key: 'when', title: t('care.when'), width: 150, render: (_: unknown, r: Row) => (r.date ? `${r.date}（${when(r.daysAway ?? 0)}）` : '') },
          ]),
    { key: 'greeting', title: t('care.greetingText'), ellipsis: true, render: (_, r) => r.greeting },
    {
      key: 'status',
      title: t('care.status'),
      render: (_, r) =>
        r.done?.outcome === 'skipped' ? (
          <Typography.Text type="secondary">{t('care.skippedBy', { name: r.done.by, at: formatBranchTime(r.done.at), note: r.done.note ?? '' })}</Typography.Text>
        ) : r.done ? (
          <Typography.Text type="success">{t('care.doneBy', { name: r.done.by, at: formatBranchTime(r.done.at), channel: r.done.channel ? t(`care.channels.${r.done.channel}`) : '' })}</Typography.Text>
        ) : (
          <Space size="small">
            <Button size="small" type="primary" onClick={() => setGreeting(r)}>
              {t('care.markDone')}
            </Button>
            <Button size="small" onClick={() => setSkipping(r)}>
              {t('care.skip')}
            </Button>
          </Space>
        ),
    },
  ]

  return (
    <div className="care-page" data-testid="care-page">
      <div className="care-toolbar">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('care.title')}
          </Typography.Title>
          <Segmented<ListKey>
            value={list}
            onChange={(k) => {
              setList(k)
              setPage(1)
            }}
            options={[
              { value: 'birthdays', label: t('care.birthdays') },
              { value: 'milestones', label: t('care.milestones') },
              ...holidays.map((h) => ({ value: `${h.key} ${h.date}` as ListKey, label: `${t(`care.holidays.${h.key}`)} ${h.date.slice(5)}（${when(h.daysAway)}）` })),
            ]}
          />
        </Space>
        <Space wrap>
          {mayCall(me.role, 'care.setTemplate') && <Button onClick={() => setDialog('templates')}>{t('care.templates.button')}</Button>}
          {mayCall(me.role, 'care.policyNews') && <Button onClick={() => setDialog('policy')}>{t('care.policy.button')}</Button>}
          <ExportButton request={exportQuery} />
          <ExportButton request={csvQuery} label={t('care.exportCsv')} />
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('care.refresh')}
          </Button>
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t('care.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={t('care.loadFailed', { text: clientErrorText(t, problem) })} style={{ marginBottom: 12 }} />}
      <Table<Row>
        rowKey={(r) => `${r.clientId} ${r.occasion ?? ''} ${r.date ?? ''}`}
        size="middle"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={data === null && problem === null}
        locale={{ emptyText: t('care.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      />
      {greeting && <GreetingModal client={greeting} {...itemOf(greeting)} onClose={() => setGreeting(null)} onDone={() => void load()} />}
      {skipping && <SkipModal client={skipping} {...itemOf(skipping)} onClose={() => setSkipping(null)} onDone={() => void load()} />}
      {dialog === 'templates' && <TemplatesModal onClose={() => setDialog(null)} onSaved={() => void load()} />}
      {dialog === 'policy' && <PolicyNewsModal onClose={() => setDialog(null)} />}
    </div>
  )
}
