import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Segmented, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { BirthdayRow, CareClient, HolidayKey } from '@shared/contract/care'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { clientErrorText } from '../clients/client-errors'
import { GreetingModal } from './greeting-modal'
import './care.css'

type Row = z.infer<typeof CareClient> & Partial<Pick<z.infer<typeof BirthdayRow>, 'birthDate' | 'date' | 'daysAway'>>
interface Holiday {
  key: z.infer<typeof HolidayKey>
  date: string
  daysAway: number
}
/** Which list is shown: the birthdays, or a holiday's clients (by its key and date). */
type ListKey = 'birthdays' | `${z.infer<typeof HolidayKey>} ${string}`

const PAGE = 50
const TIER_COLOR: Record<Row['tier'], string> = { vip: 'gold', key: 'blue', normal: 'default', potential: 'default' }

/** 客户关怀 (#/care): birthdays and holidays of the coming week among the caller's clients, each greeting marked done. */
export function CarePage() {
  const { t } = useTranslation()
  const api = useApi()
  const [holidays, setHolidays] = useState<Holiday[]>([])
  const [list, setList] = useState<ListKey>('birthdays')
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ rows: Row[]; total: number } | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [greeting, setGreeting] = useState<Row | null>(null)

  useEffect(() => {
    void api.try('care.holidays', {}).then((r) => (r.ok ? setHolidays(r.value.holidays) : setProblem(r.error)))
  }, [api])

  const holiday = list === 'birthdays' ? null : (holidays.find((h) => `${h.key} ${h.date}` === list) ?? null)

  const load = useCallback(async () => {
    const paging = { offset: (page - 1) * PAGE, limit: PAGE }
    const r = holiday ? await api.try('care.holidayClients', { holiday: holiday.key, date: holiday.date, ...paging }) : await api.try('care.birthdays', paging)
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
  }, [api, page, holiday])

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
      : [
          { key: 'birthDate', title: t('care.birthday'), width: 120, render: (_: unknown, r: Row) => r.birthDate ?? '' },
          { key: 'when', title: t('care.when'), width: 150, render: (_: unknown, r: Row) => (r.date ? `${r.date}（${when(r.daysAway ?? 0)}）` : '') },
        ]),
    {
      key: 'status',
      title: t('care.status'),
      render: (_, r) =>
        r.done ? (
          <Typography.Text type="success">{t('care.doneBy', { name: r.done.by, at: formatBranchTime(r.done.at), channel: t(`care.channels.${r.done.channel}`) })}</Typography.Text>
        ) : (
          <Button size="small" type="primary" onClick={() => setGreeting(r)}>
            {t('care.markDone')}
          </Button>
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
              ...holidays.map((h) => ({ value: `${h.key} ${h.date}` as ListKey, label: `${t(`care.holidays.${h.key}`)} ${h.date.slice(5)}（${when(h.daysAway)}）` })),
            ]}
          />
        </Space>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('care.refresh')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('care.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={t('care.loadFailed', { text: clientErrorText(t, problem) })} style={{ marginBottom: 12 }} />}
      <Table<Row>
        rowKey="clientId"
        size="middle"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={data === null && problem === null}
        locale={{ emptyText: t('care.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      />
      {greeting && (
        <GreetingModal
          client={greeting}
          occasion={holiday ? holiday.key : 'birthday'}
          date={holiday ? holiday.date : (greeting.date ?? '')}
          onClose={() => setGreeting(null)}
          onDone={() => void load()}
        />
      )}
    </div>
  )
}
