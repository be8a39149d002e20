import { PrinterOutlined } from '@ant-design/icons'
import { Alert, Button, Descriptions, Space, Table, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { yuan } from '../board/format'
import { ExportButton } from '../export/export-button'
import { clockText } from './use-subscription'

type Summary = OutputOf<'subscription.summary'>
type Figures = Summary['total']

/**
 * A group's time: from its call to its end, to the second (mm:ss); "进行中" while it is called; for
 * an event from before call times were kept, first arrival to last decision in whole minutes.
 */
function groupTime(t: TFunction, g: Figures['groups'][number]): string {
  if (g.calledAt) {
    const end = g.endedAt ? `${formatBranchTime(g.endedAt)} (${clockText(Math.round((g.ms ?? 0) / 1000))})` : t('subscription.summary.running')
    return `${formatBranchTime(g.calledAt)} → ${end}`
  }
  return g.firstAt ? `${formatBranchTime(g.firstAt)} → ${formatBranchTime(g.lastAt)} (${t('subscription.summary.minutesApprox', { n: g.minutes })})` : '—'
}

/** One block of figures (a day, or the whole event): counts, groups and contests. */
function FiguresBlock({ title, f, unitOf }: { title: string; f: Figures; unitOf: (id: number) => string }) {
  const { t } = useTranslation()
  return (
    <section className="sub-summary-block">
      <Typography.Title level={5}>{title}</Typography.Title>
      <Descriptions size="small" bordered column={4}>
        <Descriptions.Item label={t('subscription.summary.cards')}>{f.cards}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.summary.sold')}>{f.unitsSold}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.summary.released')}>{f.released}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.state.absent')}>{f.absent}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.state.passed')}>{f.passed}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.summary.refundsDue')}>{`${f.refundsDue} · ¥${yuan(f.refundAmountDue)}`}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.summary.refundsDone')}>{`${f.refundsDone} · ¥${yuan(f.refundAmountDone)}`}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.summary.contests')}>{f.contests.length}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey={(g) => `${g.day}-${g.group}`}
        dataSource={f.groups}
        columns={[
          { key: 'g', title: t('subscription.group'), render: (_, g) => `${g.day}-${g.group}` },
          { key: 'cards', title: t('subscription.summary.cards'), render: (_, g) => g.cards },
          { key: 'picked', title: t('subscription.state.picked'), render: (_, g) => g.picked },
          { key: 'passed', title: t('subscription.state.passed'), render: (_, g) => g.passed },
          { key: 'absent', title: t('subscription.state.absent'), render: (_, g) => g.absent },
          { key: 'time', title: t('subscription.summary.time'), render: (_, g) => groupTime(t, g) },
        ]}
      />
      {f.contests.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey={(c) => `${c.day}-${c.group}-${c.unitId}`}
          dataSource={f.contests}
          columns={[
            { key: 'g', title: t('subscription.group'), render: (_, c) => `${c.day}-${c.group}` },
            { key: 'unit', title: t('subscription.unit'), render: (_, c) => unitOf(c.unitId) },
            { key: 'winner', title: t('subscription.summary.winner'), render: (_, c) => c.winnerCardNo },
            { key: 'rivals', title: t('subscription.summary.rivals'), render: (_, c) => c.rivalCardNos.join('、') },
            { key: 'rule', title: t('subscription.summary.rule'), render: (_, c) => t(`subscription.summary.rules.${c.rule}`) },
          ]}
        />
      )}
    </section>
  )
}

/** 汇总: the day's figures after the event, printable (A4, black and white) and exportable to xlsx. */
export function SummaryPanel({ eventId }: { eventId: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const [data, setData] = useState<Summary | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  useEffect(() => {
    const load = () => void api.try('subscription.summary', { eventId }).then((r) => (r.ok ? (setData(r.value), setProblem(null)) : setProblem(r.error)))
    load()
    // figures open during the day follow it: each write is pushed
    return api.on('subscription.changed', (e) => {
      if (e.eventId === eventId) load()
    })
  }, [api, eventId])
  if (problem) return <Alert type="error" showIcon message={t('subscription.loadFailed', { text: errorText(t, problem) })} />
  if (!data) return null
  const labels = new Map(data.picks.map((p) => [p.unitId, p.unitLabel]))
  const unitOf = (id: number) => labels.get(id) ?? String(id)
  return (
    <div className="sub-summary print-alone">
      <Space className="sub-summary-toolbar" style={{ marginBottom: 12 }}>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('subscription.summary.print')}
        </Button>
        <ExportButton request={{ grid: 'subscription', query: { eventId } }} />
      </Space>
      <Typography.Title level={4}>{t('subscription.summary.title', { name: data.name })}</Typography.Title>
      <Typography.Paragraph>
        {t(`subscription.status.${data.status}`)} · {t(`subscription.orderBy.${data.orderBy}`)}
      </Typography.Paragraph>
      <FiguresBlock title={t('subscription.summary.whole')} f={data.total} unitOf={unitOf} />
      {data.days.length > 1 && data.days.map((d) => <FiguresBlock key={d.day} title={t('subscription.summary.day', { day: d.day, date: d.date })} f={d.figures} unitOf={unitOf} />)}
      <Typography.Title level={5}>{t('subscription.summary.picks')}</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="cardNo"
        dataSource={data.picks}
        columns={[
          { key: 'g', title: t('subscription.group'), render: (_, p) => `${p.day}-${p.group}` },
          { key: 'card', title: t('subscription.cardNo'), render: (_, p) => p.cardNo },
          { key: 'holder', title: t('subscription.holder'), render: (_, p) => p.clientName },
          { key: 'unit', title: t('subscription.unit'), render: (_, p) => p.unitLabel },
          { key: 'at', title: t('subscription.summary.at'), render: (_, p) => formatBranchTime(p.at) },
        ]}
      />
      <Typography.Title level={5}>{t('subscription.summary.forfeits')}</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="cardNo"
        dataSource={data.forfeits}
        columns={[
          { key: 'g', title: t('subscription.group'), render: (_, f) => `${f.day}-${f.group}` },
          { key: 'card', title: t('subscription.cardNo'), render: (_, f) => f.cardNo },
          { key: 'holder', title: t('subscription.holder'), render: (_, f) => f.clientName },
          { key: 'state', title: '', render: (_, f) => t(`subscription.state.${f.state}`) },
          { key: 'amount', title: t('subscription.summary.refund'), render: (_, f) => `¥${yuan(f.amount)}` },
          { key: 'done', title: '', render: (_, f) => t(f.refundDone ? 'subscription.summary.refundDone' : 'subscription.summary.refundDue') },
        ]}
      />
    </div>
  )
}
