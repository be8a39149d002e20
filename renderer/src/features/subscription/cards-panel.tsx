import { Alert, App, Button, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { AgreementPrint } from './agreement-print'

type Card = OutputOf<'subscription.cards'>['cards'][number]
type Unit = OutputOf<'board.get'>['units'][number]
const METHODS = ['cash', 'card', 'transfer', 'pos'] as const
const STATUS_COLOR: Record<Card['status'], string> = { valid: 'blue', used: 'green', forfeited: 'red', refunded: 'default', carried_over: 'purple' }

/** 贵宾卡 (认筹): issue a numbered VIP card with its 意向金 and wish list; the desk and the manager see a project's cards. */
export function CardsPanel({ eventId }: { eventId: number | null }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [projects, setProjects] = useState<OutputOf<'projects.list'>['projects']>([])
  const [projectId, setProjectId] = useState<number | null>(null)
  const [units, setUnits] = useState<Unit[]>([])
  const [cards, setCards] = useState<Card[]>([])
  const [client, setClient] = useState<PickedClient | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const mayList = mayCall(me.role, 'subscription.cards')
  const mayIssue = mayCall(me.role, 'subscription.issueCard')
  const mayPrint = eventId !== null && mayCall(me.role, 'subscription.agreement')
  const [paperOf, setPaperOf] = useState<number | null>(null)

  useEffect(() => {
    void api.try('projects.list', {}).then((r) => r.ok && setProjects(r.value.projects))
  }, [api])
  const load = useCallback(async () => {
    if (projectId === null) return
    const b = await api.try('board.get', { projectId })
    if (b.ok) setUnits(b.value.units)
    if (!mayList) return
    const r = await api.try('subscription.cards', { projectId })
    if (r.ok) setCards(r.value.cards)
  }, [api, projectId, mayList])
  useEffect(() => {
    void load()
  }, [load])

  const unitName = (id: number) => units.find((u) => u.id === id)?.number ?? String(id)
  const issue = async (v: { cardNo?: number; deposit: number; receiptNo: string; method: (typeof METHODS)[number]; wishes?: number[] }) => {
    if (projectId === null || client === null) return
    const r = await api.try('subscription.issueCard', {
      projectId,
      clientId: client.id,
      ...(v.cardNo ? { cardNo: v.cardNo } : {}),
      deposit: Math.round(v.deposit * 100),
      receiptNo: v.receiptNo,
      method: v.method,
      wishes: v.wishes ?? [],
    })
    if (!r.ok) return setProblem(errorText(t, r.error))
    setProblem(null)
    message.success(t('subscription.cards.issued', { cardNo: r.value.cardNo }))
    void load()
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Select style={{ width: 240 }} placeholder={t('subscription.project')} aria-label={t('subscription.project')} value={projectId} onChange={setProjectId} options={projects.map((p) => ({ value: p.id, label: p.name }))} />
      {projectId !== null && mayIssue && (
        <Form layout="inline" onFinish={(v) => void issue(v)} initialValues={{ method: 'transfer' }}>
          <Form.Item label={t('subscription.holder')} required>
            <ClientPicker value={client} onChange={setClient} aria-label={t('subscription.holder')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="cardNo" label={t('subscription.cardNo')}>
            <InputNumber min={1} precision={0} placeholder={t('subscription.cards.nextNo')} aria-label={t('subscription.cardNo')} />
          </Form.Item>
          <Form.Item name="deposit" label={t('subscription.cards.deposit')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10_000_000} aria-label={t('subscription.cards.deposit')} />
          </Form.Item>
          <Form.Item name="receiptNo" label={t('subscription.cards.receiptNo')} rules={[{ required: true, max: 40 }]}>
            <Input style={{ width: 120 }} aria-label={t('subscription.cards.receiptNo')} />
          </Form.Item>
          <Form.Item name="method">
            <Select style={{ width: 90 }} aria-label={t('subscription.cards.method')} options={METHODS.map((m) => ({ value: m, label: t(`board.method.${m}`) }))} />
          </Form.Item>
          <Form.Item name="wishes" label={t('subscription.cards.wishes')}>
            <Select mode="multiple" style={{ minWidth: 240 }} maxCount={20} aria-label={t('subscription.cards.wishes')} optionFilterProp="label" options={units.map((u) => ({ value: u.id, label: u.number }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" disabled={client === null}>
            {t('subscription.cards.issue')}
          </Button>
        </Form>
      )}
      {problem && <Alert type="error" showIcon message={problem} />}
      {mayList && projectId !== null && (
        <Table
          size="small"
          rowKey="id"
          dataSource={cards}
          pagination={{ pageSize: 20 }}
          columns={[
            { key: 'no', title: t('subscription.cardNo'), width: 80, render: (_, c) => c.cardNo },
            { key: 'holder', title: t('subscription.holder'), render: (_, c) => c.clientName },
            { key: 'deposit', title: t('subscription.cards.deposit'), width: 120, render: (_, c) => (c.deposit / 100).toLocaleString() },
            { key: 'status', title: '', width: 90, render: (_, c) => <Tag color={STATUS_COLOR[c.status]}>{t(`subscription.cards.status.${c.status}`)}</Tag> },
            { key: 'carry', title: t('subscription.cards.carryOver'), width: 90, render: (_, c) => (c.carryOver ? '✓' : '') },
            { key: 'wishes', title: t('subscription.cards.wishes'), render: (_, c) => c.wishes.map(unitName).join(' › ') },
            {
              key: 'paper',
              title: '',
              width: 120,
              render: (_, c) =>
                mayPrint && c.status === 'used' ? (
                  <Button size="small" onClick={() => setPaperOf(c.cardNo)}>
                    {t('subscription.paper.open')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      {eventId !== null && <AgreementPrint eventId={eventId} cardNo={paperOf} onClose={() => setPaperOf(null)} />}
    </Space>
  )
}
