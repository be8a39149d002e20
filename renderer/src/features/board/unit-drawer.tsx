import { Alert, App, Button, DatePicker, Descriptions, Drawer, Empty, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography, type FormInstance } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useRef, useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { InputOf, OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { mayCall } from '@shared/domain/permissions'
import { PRICED_AT } from '@shared/domain/member-price'
import { CHAIN, mayAdvance, type UnitStatus } from '@shared/domain/unit-status'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi, useMe } from '../../api/session-context'
import { boardErrorText, monthDayTime, sqm, statusName, timeLeft, toFen, wan, yuan, yuanPerSqm } from './format'
import { changeText } from './request-text'
import { MemberPriceLines } from './member-price-lines'
import { UnitMatches } from './unit-matches'
import { MortgageLink } from '../mortgage/mortgage-link'
import { useClientSearch } from '../clients/use-client-search'
import type { BoardUnit } from './use-board'
import { DialogKeys } from '../../app/dialog-keys'

type Method = 'cash' | 'card' | 'transfer' | 'pos'
const METHODS: Method[] = ['cash', 'transfer', 'card', 'pos']
type PaymentsInfo = OutputOf<'payments.list'>
type Unit = OutputOf<'units.advance'>

/**
 * Runs one write and shows its outcome: success toast saying what happened (`done`, from the write's
 * result), or the board's Chinese error sentence in the drawer; with a form, an error about one of its
 * fields shows under that field, and a success clears the form.
 */
function useAct(onChanged: () => void) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const act = async <T,>(run: () => Promise<{ ok: true; value: T } | { ok: false; error: ApiErrorShape }>, done?: string | ((value: T) => string), form?: FormInstance) => {
    setBusy(true)
    setError(null)
    try {
      const r = await run()
      if (r.ok) {
        void message.success(typeof done === 'function' ? done(r.value) : (done ?? t('board.drawer.done')))
        form?.resetFields()
        onChanged()
        return true
      }
      const text = boardErrorText(t, r.error)
      const field = r.error.field
      if (form && field && Object.hasOwn(form.getFieldsValue(), field)) form.setFields([{ name: field, errors: [text] }])
      else setError(text)
      return false
    } finally {
      setBusy(false)
    }
  }
  return { act, error, busy, setError }
}

/** Client search box (clients.search) for 小订 and 更名. */
function ClientPicker({ id, value, onChange }: { id?: string; value?: number; onChange?: (v: number) => void }) {
  const { t } = useTranslation()
  // cleared text (the list closing) keeps the last results to choose from
  const [typed, setTyped] = useState('')
  const { hits } = useClientSearch(typed, { limit: 20, delayMs: 200 })
  const options = hits.map((h) => ({ value: h.id, label: t('common.withAside', { text: h.name, aside: h.phone ? `${h.code} · ${h.phone}` : h.code }) }))
  return <Select id={id} showSearch value={value} onChange={onChange} filterOption={false} onSearch={(q) => q.trim() && setTyped(q)} options={options} placeholder={t('board.drawer.clientSearch')} data-testid="client-picker" />
}

interface UnitDrawerProps {
  unit: BoardUnit
  buildingName: string
  units: readonly BoardUnit[]
  buildings: { id: number; name: string }[]
  onClose(): void
  onChanged(): void
}

/** What the signed-in role may do on one unit: 小订, 推进, 控房/不售/释放, 收款, 变更申请. */
export function UnitDrawer({ unit: u, buildingName, units, buildings, onClose, onChanged }: UnitDrawerProps) {
  const { t } = useTranslation()
  const me = useMe()
  const may = (m: Parameters<typeof mayCall>[1]) => mayCall(me.role, m)
  const hasDeal = !!u.tx && u.tx.clientId !== null
  // 小订 and a 控房 with a time limit both lapse by themselves
  const remaining = (u.status === 'small_deposit' || u.status === 'hold') && u.tx?.expiresAt ? timeLeft(u.tx.expiresAt) : undefined
  // on closing, the focus goes back where the drawer was opened from (the board, so arrows and Enter go on working)
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null))
  useEffect(() => () => opener?.focus({ preventScroll: true }), [opener])
  // a change can remove the focused button (控房 on a held unit); keep the focus in the drawer so Esc still closes it
  const body = useRef<HTMLDivElement>(null)
  const state = `${u.status}:${u.tx?.updatedAt ?? ''}`
  useEffect(() => {
    if (document.activeElement === document.body) body.current?.closest<HTMLElement>('.ant-drawer')?.focus({ preventScroll: true })
  }, [state])

  const tabs = [
    // remounted on every change of the unit, so the next step, reason and hours start afresh
    { key: 'actions', label: t('board.drawer.actions'), children: <Actions key={state} unit={u} onChanged={onChanged} /> },
    ...(hasDeal && may('payments.list') ? [{ key: 'payments', label: t('board.drawer.payments'), children: <Payments unit={u} onChanged={onChanged} /> }] : []),
    ...(may('matching.clientsForUnit') ? [{ key: 'matches', label: t('board.matching.tab'), children: <UnitMatches unitId={u.id} /> }] : []),
    // not remounted on a change of the unit: a request being typed (or sent) outlives a push about the unit
    ...(may('changes.request') ? [{ key: 'change', label: t('board.drawer.change'), children: <ChangeForm unit={u} unitState={state} units={units} buildings={buildings} onChanged={onChanged} /> }] : []),
  ]

  return (
    <Drawer open width={480} onClose={onClose} title={t('board.drawer.title', { building: buildingName, number: u.number })} data-testid="unit-drawer">
      {/* Esc in a date picker or a list closes that, not the drawer with the form typed in it */}
      <DialogKeys open autoFocus={false}>
        <div ref={body}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('board.tip.status')} span={2}>
              <Tag color={undefined}>{t(`board.status.${u.status}`)}</Tag>
              {remaining !== undefined && (
                <Typography.Text type={remaining ? 'warning' : 'danger'}>
                  {u.status === 'hold' ? t('board.drawer.holdExpires') : t('board.tip.expires')} {remaining ? t('board.countdown', remaining) : t('board.tip.expired')}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('board.filter.layout')}>{u.layout ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('board.filter.area')}>{t('board.sqm', { v: sqm(u.area) })}</Descriptions.Item>
            <Descriptions.Item label={t('board.tip.orientation')}>{u.orientation ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('board.tip.listPrice')}>
              {t('board.wan', { v: wan(u.listPrice) })} <MortgageLink source="unit" priceFen={u.listPrice} label={`${buildingName} ${u.number}`} area={u.area} />
            </Descriptions.Item>
            <Descriptions.Item label={t('board.tip.unitPrice')} span={2}>
              {t('board.yuanPerM2', { v: yuanPerSqm(u.unitPrice) })}
            </Descriptions.Item>
            {u.tags.length > 0 && (
              <Descriptions.Item label={t('board.tip.tags')} span={2}>
                {u.tags.join(t('common.listSeparator'))}
              </Descriptions.Item>
            )}
            {u.tx?.clientName && <Descriptions.Item label={t('board.tip.client')}>{u.tx.clientName}</Descriptions.Item>}
            {u.tx?.agentName && <Descriptions.Item label={t('board.tip.agent')}>{u.tx.agentName}</Descriptions.Item>}
            {u.tx?.reason && (
              <Descriptions.Item label={t('board.tip.reason')} span={2}>
                {u.tx.reason}
              </Descriptions.Item>
            )}
            {hasDeal && <Descriptions.Item label={t('board.tip.price')}>{t('board.wan', { v: wan(u.tx!.price) })}</Descriptions.Item>}
            {hasDeal && <Descriptions.Item label={t('board.tip.paid')}>{t('board.yuan', { v: yuan(u.tx!.paid) })}</Descriptions.Item>}
          </Descriptions>
          {hasDeal && u.tx?.member && <MemberPriceLines testId="member-price" parts={{ ...u.tx.member, price: u.tx.price }} />}
          <Tabs items={tabs} style={{ marginTop: 12 }} />
        </div>
      </DialogKeys>
    </Drawer>
  )
}

function Actions({ unit: u, onChanged }: { unit: BoardUnit; onChanged(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const may = (m: Parameters<typeof mayCall>[1]) => mayCall(me.role, m)
  const { act, error, busy } = useAct(onChanged)
  const [reason, setReason] = useState('')
  const [hours, setHours] = useState<number | null>(null)
  const hasDeal = !!u.tx && u.tx.clientId !== null
  const nextSteps = (['pledge', 'subscribe', 'sign', 'sold'] as const).filter((s) => mayAdvance(u.status, s))

  // a manager may turn a hold into 小订; everyone else is told why not instead of getting a form the host refuses
  const canReserve = may('units.reserve') && (u.status === 'available' || (u.status === 'hold' && me.role === 'manager'))
  const heldForOthers = may('units.reserve') && u.status === 'hold' && me.role !== 'manager'
  const canHold = may('units.hold') && u.status === 'available'
  const canRelease = may('units.release') && (u.status === 'hold' || u.status === 'small_deposit' || u.status === 'withheld')
  // only the deal's agent (working its buyer) or a manager moves it on: the host refuses everyone else
  const canAdvance = may('units.advance') && hasDeal && !!u.tx?.yours && nextSteps.length > 0 && CHAIN.includes(u.status as UnitStatus)
  const colleagueDeal = may('units.advance') && hasDeal && !u.tx?.yours && (
    <Alert type="info" showIcon data-testid="drawer-colleague-deal" message={t('board.drawer.colleagueDeal', { agent: u.tx?.agentName ?? '' })} />
  )
  const said = {
    reserved: (x: Unit) => t('board.drawer.reservedUntil', { unit: u.number, until: monthDayTime(x.tx?.expiresAt ?? '') }),
    advanced: (x: Unit) => t('board.drawer.advancedTo', { unit: u.number, status: statusName(t, x.status), price: wan(x.tx?.price ?? 0) }),
    held: (x: Unit) => (x.tx?.expiresAt ? t('board.drawer.heldUntil', { unit: u.number, until: monthDayTime(x.tx.expiresAt) }) : t('board.drawer.heldDone', { unit: u.number })),
    withheld: () => t('board.drawer.withheldDone', { unit: u.number }),
    released: () => t('board.drawer.releasedDone', { unit: u.number }),
  }

  const heldNotice = heldForOthers && (
    <Alert type="warning" showIcon data-testid="drawer-held" message={t('board.drawer.heldNotice', { why: u.tx?.reason ? t('common.aside', { text: u.tx.reason }) : '' })} />
  )
  if (!canReserve && !canHold && !canRelease && !canAdvance) return heldNotice || colleagueDeal || <Empty description={t('board.drawer.noActions')} />

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      {error && <Alert type="error" showIcon message={error} data-testid="drawer-error" />}
      {heldNotice}
      {colleagueDeal}
      {canReserve && (
        <section>
          <Typography.Title level={5}>{t('board.drawer.reserve')}</Typography.Title>
          <Form
            name="reserve"
            layout="vertical"
            size="small"
            initialValues={{ method: 'cash' }}
            onFinish={(v: { clientId: number; deposit: number; receiptNo: string; method: Method }) =>
              void act(() => api.try('units.reserve', { unitId: u.id, clientId: v.clientId, deposit: toFen(v.deposit), receiptNo: v.receiptNo, method: v.method }), said.reserved)
            }
          >
            <Form.Item name="clientId" label={t('board.drawer.client')} rules={[{ required: true }]}>
              <ClientPicker />
            </Form.Item>
            <Space>
              <Form.Item name="deposit" label={t('board.drawer.deposit')} rules={[{ required: true }]}>
                <InputNumber min={1} max={1_000_000} style={{ width: 130 }} />
              </Form.Item>
              <Form.Item name="receiptNo" label={t('board.drawer.receiptNo')} rules={[{ required: true, max: 40 }]}>
                <Input style={{ width: 130 }} />
              </Form.Item>
              <Form.Item name="method" label={t('board.drawer.method')}>
                <Select style={{ width: 90 }} options={METHODS.map((m) => ({ value: m, label: t(`board.method.${m}`) }))} />
              </Form.Item>
            </Space>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                {t('board.drawer.reserve')}
              </Button>
            </Form.Item>
          </Form>
        </section>
      )}
      {canAdvance && <AdvanceForm unit={u} steps={nextSteps} said={said.advanced} onChanged={onChanged} />}
      {(canHold || canRelease) && (
        <section>
          <Typography.Title level={5}>
            {canHold ? `${t('board.drawer.hold')} / ${t('board.drawer.withhold')}` : t('board.drawer.release')}
          </Typography.Title>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input placeholder={t('board.drawer.reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
            <Space wrap>
              {canHold && (
                <>
                  <InputNumber min={1} max={24 * 90} placeholder={t('board.drawer.hours')} value={hours} onChange={setHours} style={{ width: 150 }} />
                  <Button loading={busy} onClick={() => void act(() => api.try('units.hold', { unitId: u.id, reason, hours: hours ?? undefined }), said.held)}>
                    {t('board.drawer.hold')}
                  </Button>
                  <Button loading={busy} onClick={() => void act(() => api.try('units.withhold', { unitId: u.id, reason }), said.withheld)}>
                    {t('board.drawer.withhold')}
                  </Button>
                </>
              )}
              {canRelease && (
                <Button danger loading={busy} onClick={() => void act(() => api.try('units.release', { unitId: u.id, reason }), said.released)}>
                  {t('board.drawer.release')}
                </Button>
              )}
            </Space>
          </Space>
        </section>
      )}
    </Space>
  )
}

type Step = 'pledge' | 'subscribe' | 'sign' | 'sold'

/**
 * 推进: the next step and an agreed price. A step that prices the deal (认购 or beyond, the first
 * time) shows the buyer's member pricing first (units.quote) and sends what it showed, so the host
 * refuses it if the deal or the buyer's discount changed meanwhile; errors about the price show
 * under it.
 */
function AdvanceForm({ unit: u, steps, said, onChanged }: { unit: BoardUnit; steps: readonly Step[]; said: (x: Unit) => string; onChanged(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [form] = Form.useForm<{ to: Step; price?: number | null }>()
  const [quote, setQuote] = useState<OutputOf<'units.quote'> | null>(null)
  const [asked, setAsked] = useState(0)
  const { act, error, busy } = useAct(onChanged)
  const to = Form.useWatch('to', form) ?? steps[0]
  const typed = Form.useWatch('price', form)
  // the first step to 认购 or beyond prices the deal; after that the kept pricing shows in the drawer above
  const prices = !!to && PRICED_AT.includes(to) && !PRICED_AT.includes(u.status)
  useEffect(() => {
    void api.try('units.quote', { unitId: u.id }).then((r) => setQuote(r.ok ? r.value : null))
  }, [api, u.id, asked])
  const preview = prices && quote && quote.level !== null && quote.discount > 0 ? quote : null
  const dealPrice = typed ? toFen(typed) : Math.min(u.tx?.price ?? 0, preview?.memberPrice ?? Infinity)
  return (
    <section>
      <Typography.Title level={5}>{t('board.drawer.advance')}</Typography.Title>
      {error && <Alert type="error" showIcon message={error} data-testid="drawer-error" style={{ marginBottom: 8 }} />}
      <Form
        form={form}
        name="advance"
        layout="vertical"
        size="small"
        initialValues={{ to: steps[0] }}
        onFinish={(v) =>
          void act(
            () =>
              api.try('units.advance', {
                unitId: u.id,
                to: v.to,
                price: v.price ? toFen(v.price) : undefined,
                expectUpdatedAt: u.tx?.updatedAt,
                expectDiscountPermille: prices && quote ? quote.discountPermille : undefined,
              }),
            said,
            form,
          ).then((ok) => ok || setAsked((n) => n + 1))
        }
      >
        <Space align="start" wrap>
          <Form.Item name="to" label={t('board.drawer.advanceTo')}>
            <Select style={{ width: 110 }} options={steps.map((s) => ({ value: s, label: t(`board.status.${s}`) }))} />
          </Form.Item>
          <Form.Item name="price" label={t('board.drawer.price')} extra={t('board.drawer.priceHelp')}>
            <InputNumber style={{ width: 200 }} min={0.01} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('board.drawer.advance')}
        </Button>
      </Form>
      {preview && (
        <div data-testid="member-price-preview" style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t('board.drawer.memberPreview', { status: statusName(t, to) })}</Typography.Text>
          <MemberPriceLines testId="member-price-preview-lines" parts={{ listPrice: preview.listPrice, level: preview.level!, discountPermille: preview.discountPermille, discount: preview.discount, price: dealPrice }} />
        </div>
      )}
    </section>
  )
}

function Payments({ unit: u, onChanged }: { unit: BoardUnit; onChanged(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [info, setInfo] = useState<PaymentsInfo | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [items, setItems] = useState<{ dueDate: Dayjs | null; amount: number | null; label: string }[]>([])
  const [payForm] = Form.useForm<{ receiptNo: string; amount: number; method: Method }>()
  const load = async () => {
    const r = await api.try('payments.list', { unitId: u.id })
    if (r.ok) {
      setInfo(r.value)
      setItems(r.value.schedule.map((s) => ({ dueDate: dayjs(s.dueDate), amount: s.amount / 100, label: s.label })))
    } else setLoadError(boardErrorText(t, r.error))
  }
  const { act, error, busy } = useAct(() => {
    onChanged()
    void load()
  })
  useEffect(() => {
    void load()
    // reload when the deal changes (load is recreated every render)
  }, [u.id, u.tx?.updatedAt])

  if (loadError) return <Alert type="error" showIcon message={loadError} />
  if (!info) return null
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      {error && <Alert type="error" showIcon message={error} />}
      <Typography.Text strong>{t('board.drawer.balance', { amount: yuan(info.balance) })}</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={info.payments}
        locale={{ emptyText: t('board.drawer.noPayments') }}
        columns={[
          { title: t('board.drawer.receiptNo'), dataIndex: 'receiptNo' },
          { title: t('board.drawer.method'), dataIndex: 'method', render: (m: Method) => t(`board.method.${m}`) },
          { title: t('board.drawer.amount'), dataIndex: 'amount', align: 'right', render: (a: number) => yuan(a) },
          { title: t('board.finance.at'), dataIndex: 'paidAt', render: (s: string) => formatBranchTime(s) },
        ]}
      />
      {mayCall(me.role, 'payments.record') && (
        <Form
          form={payForm}
          name="payment"
          layout="vertical"
          size="small"
          initialValues={{ method: 'transfer' }}
          onFinish={(v) => void act(() => api.try('payments.record', { unitId: u.id, receiptNo: v.receiptNo, amount: toFen(v.amount), method: v.method }), (p) => t('board.drawer.paidDone', { unit: u.number, amount: yuan(p.amount), receiptNo: p.receiptNo }), payForm)}
        >
          <Space align="start">
            <Form.Item name="amount" label={t('board.drawer.amount')} rules={[{ required: true }]} style={{ width: 150 }}>
              <InputNumber min={0.01} style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="receiptNo" label={t('board.drawer.receiptNo')} rules={[{ required: true, max: 40 }]}>
              <Input style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name="method" label={t('board.drawer.method')}>
              <Select style={{ width: 90 }} options={METHODS.map((m) => ({ value: m, label: t(`board.method.${m}`) }))} />
            </Form.Item>
          </Space>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('board.drawer.record')}
            </Button>
          </Form.Item>
        </Form>
      )}
      <Typography.Title level={5}>{t('board.drawer.schedule')}</Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={info.schedule}
        columns={[
          { title: t('board.drawer.dueDate'), dataIndex: 'dueDate' },
          { title: t('board.drawer.label'), dataIndex: 'label' },
          { title: t('board.drawer.amount'), dataIndex: 'amount', align: 'right', render: (a: number) => yuan(a) },
          { title: t('board.drawer.paidByThen'), dataIndex: 'paidByThen', render: (b: boolean) => (b ? '✓' : '') },
        ]}
      />
      {mayCall(me.role, 'payments.setSchedule') && (
        <Space direction="vertical" style={{ width: '100%' }}>
          {items.map((it, i) => (
            <Space key={i}>
              <DatePicker value={it.dueDate} onChange={(d) => setItems(items.map((x, j) => (j === i ? { ...x, dueDate: d } : x)))} placeholder={t('board.drawer.dueDate')} />
              <Input value={it.label} onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} placeholder={t('board.drawer.label')} style={{ width: 100 }} />
              <InputNumber value={it.amount} min={0.01} onChange={(v) => setItems(items.map((x, j) => (j === i ? { ...x, amount: v } : x)))} placeholder={t('board.drawer.amount')} style={{ width: 130 }} />
            </Space>
          ))}
          <Space>
            <Button onClick={() => setItems([...items, { dueDate: null, amount: null, label: '' }])}>{t('board.drawer.addItem')}</Button>
            <Button
              type="primary"
              loading={busy}
              disabled={items.length === 0 || items.some((x) => !x.dueDate || !x.amount || !x.label)}
              onClick={() =>
                void act(
                  () =>
                    api.try('payments.setSchedule', {
                      unitId: u.id,
                      items: items.map((x) => ({ dueDate: x.dueDate!.format('YYYY-MM-DD'), amount: toFen(x.amount!), label: x.label })),
                    }),
                  () => t('board.drawer.scheduleSaved', { unit: u.number, count: items.length }),
                )
              }
            >
              {t('board.drawer.setSchedule')}
            </Button>
          </Space>
        </Space>
      )}
    </Space>
  )
}

type Kind = 'rename' | 'swap' | 'cancel' | 'price' | 'discount'
type ChangeValues = { clientId?: number; toUnitId?: number; amount?: number; comment?: string }

type UnitChange = Extract<InputOf<'changes.request'>, { unitId: number }>

/** A one-unit change of `kind` as the API takes it, from the form's values (money typed in yuan). */
function unitChange(kind: Kind, unitId: number, v: ChangeValues): UnitChange {
  const comment = v.comment || undefined
  switch (kind) {
    case 'rename':
      return { kind, unitId, payload: { clientId: v.clientId! }, comment }
    case 'swap':
      return { kind, unitId, payload: { toUnitId: v.toUnitId! }, comment }
    case 'price':
      return { kind, unitId, payload: { listPrice: toFen(v.amount!) }, comment }
    case 'discount':
      return { kind, unitId, payload: { price: toFen(v.amount!) }, comment }
    case 'cancel':
      return { kind, unitId, payload: {}, comment }
  }
}

/** The value fields of a one-unit change of `kind`, then the note: the same when asking and when resubmitting. */
function ChangeFields({ kind, free, buildingNames, autoFocus }: { kind: Kind; free: readonly BoardUnit[]; buildingNames: ReadonlyMap<number, string>; autoFocus?: boolean }) {
  const { t } = useTranslation()
  return (
    <>
      {kind === 'rename' && (
        <Form.Item name="clientId" label={t('board.drawer.newClient')} rules={[{ required: true }]}>
          <ClientPicker />
        </Form.Item>
      )}
      {kind === 'swap' && (
        <Form.Item name="toUnitId" label={t('board.drawer.toUnit')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={free.slice(0, 2000).map((x) => ({ value: x.id, label: `${buildingNames.get(x.buildingId) ?? ''} ${x.number}` }))} />
        </Form.Item>
      )}
      {(kind === 'price' || kind === 'discount') && (
        <Form.Item name="amount" label={kind === 'price' ? t('board.drawer.listPrice') : t('board.drawer.discountPrice')} rules={[{ required: true }]}>
          <InputNumber min={1} style={{ width: 200 }} autoFocus={autoFocus} />
        </Form.Item>
      )}
      <Form.Item name="comment" label={t('board.drawer.comment')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </>
  )
}

/**
 * 变更申请 on one unit: the form and the unit's requests. A change of the unit meanwhile (a push:
 * a payment recorded, a step taken elsewhere) keeps what is typed, offers the kinds the unit now
 * allows, and reads the requests again (`unitState`).
 */
function ChangeForm({
  unit: u,
  unitState,
  units,
  buildings,
  onChanged,
}: {
  unit: BoardUnit
  unitState: string
  units: readonly BoardUnit[]
  buildings: { id: number; name: string }[]
  onChanged(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const [asked, setAsked] = useState(0)
  const { act, error, busy } = useAct(() => {
    onChanged()
    setAsked((n) => n + 1)
  })
  const [form] = Form.useForm()
  // a change to the deal is asked by whoever works it (the host refuses the rest); a list price by anyone who asks changes
  const worksDeal = !!u.tx && u.tx.clientId !== null && u.tx.yours
  const kinds: Kind[] = worksDeal ? ['rename', 'swap', 'cancel', 'discount', 'price'] : ['price']
  const [picked, setKind] = useState<Kind>(kinds[0]!)
  // the deal may have come or gone since the kind was picked
  const kind = kinds.includes(picked) ? picked : kinds[0]!
  const names = new Map(buildings.map((b) => [b.id, b.name]))
  const free = units.filter((x) => x.status === 'available' && x.id !== u.id)
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Form
        form={form}
        name="change"
        layout="vertical"
        size="small"
        onFinish={(v: ChangeValues) => {
          void act(() => api.try('changes.request', unitChange(kind, u.id, v)), (r) => requestedText(t, r), form)
        }}
      >
        <Form.Item label={t('board.drawer.kind')} htmlFor="change_kind">
          <Select id="change_kind" value={kind} onChange={setKind} options={kinds.map((k) => ({ value: k, label: t(`board.changeKind.${k}`) }))} />
        </Form.Item>
        <ChangeFields kind={kind} free={free} buildingNames={names} />
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('board.drawer.submit')}
        </Button>
      </Form>
      <RequestHistory unitId={u.id} asked={`${unitState}#${asked}`} free={free} buildingNames={names} onChanged={() => setAsked((n) => n + 1)} />
    </Space>
  )
}

type ChangeRequest = OutputOf<'changes.list'>['requests'][number]

/** "已提交：1号楼-401 折扣 成交价 280 万元 → 260 万元…，待店长审批". */
function requestedText(t: TFunction, r: ChangeRequest): string {
  const step = r.currentStep === null ? undefined : r.steps[r.currentStep]
  const what = { unit: r.labels.unit ?? r.before?.unit ?? '', kind: t(`board.changeKind.${r.kind}`), what: changeText(t, r) }
  return step ? t('board.drawer.requestedWhat', { ...what, role: t(`roles.${step.role}`) }) : t('board.drawer.requestedApplied', what)
}
const REQUEST_COLOR = { pending: 'processing', approved: 'success', rejected: 'error', withdrawn: 'default' } as const

/** This unit's change requests, newest first, with every comment: the requester sees here why one was rejected. */
function RequestHistory({
  unitId,
  asked,
  free,
  buildingNames,
  onChanged,
}: {
  unitId: number
  /** changes when the requests must be read again (one was asked or resubmitted, the unit changed) */
  asked: string
  free: readonly BoardUnit[]
  buildingNames: ReadonlyMap<number, string>
  onChanged(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [rows, setRows] = useState<ChangeRequest[]>([])
  const [resubmitting, setResubmitting] = useState<number | null>(null)
  // the form goes away with its focused button: the focus stays in the drawer, so Esc still closes it
  const section = useRef<HTMLElement>(null)
  const closeForm = () => {
    setResubmitting(null)
    section.current?.focus({ preventScroll: true })
  }
  useEffect(() => {
    // the latest read wins: an earlier one answering late (another reader) would hide the request just sent
    let latest = true
    void api.try('changes.list', { unitId }).then((r) => latest && r.ok && setRows(r.value.requests))
    return () => {
      latest = false
    }
  }, [api, unitId, asked])
  if (rows.length === 0) return null
  return (
    <section data-testid="change-history" ref={section} tabIndex={-1}>
      <Typography.Title level={5}>{t('board.drawer.history')}</Typography.Title>
      {rows.map((r) => (
        <div key={r.id} className="bc-request" data-testid="change-request">
          <Space size={4} wrap>
            <Tag>{t(`board.changeKind.${r.kind}`)}</Tag>
            <Tag color={REQUEST_COLOR[r.status]}>{t(`board.changeStatus.${r.status}`)}</Tag>
            <Typography.Text type="secondary">
              {r.requestedBy} {formatBranchTime(r.createdAt)}
            </Typography.Text>
          </Space>
          {r.comments.map((c, i) => (
            <div key={i} className="bc-request-comment">
              {t('common.withNote', { text: c.by, note: c.text })}
            </div>
          ))}
          {r.status === 'rejected' && r.requestedById === me.id && r.kind !== 'bulkPrice' && resubmitting !== r.id && (
            <Button size="small" style={{ marginTop: 4 }} onClick={() => setResubmitting(r.id)} data-testid="resubmit">
              {t('board.drawer.resubmit')}
            </Button>
          )}
          {resubmitting === r.id && r.kind !== 'bulkPrice' && (
            <ResubmitForm
              request={r}
              kind={r.kind}
              free={free}
              buildingNames={buildingNames}
              onCancel={closeForm}
              onDone={() => {
                closeForm()
                onChanged()
              }}
            />
          )}
        </div>
      ))}
    </section>
  )
}

/** A rejected request, changed and sent again by its requester: the same kind, a new value and a note; approval starts again at step 1. */
function ResubmitForm({
  request: r,
  kind,
  free,
  buildingNames,
  onCancel,
  onDone,
}: {
  request: ChangeRequest
  kind: Kind
  free: readonly BoardUnit[]
  buildingNames: ReadonlyMap<number, string>
  onCancel(): void
  onDone(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const [form] = Form.useForm()
  const { act, error, busy } = useAct(onDone)
  const p = r.payload
  const initial = {
    clientId: typeof p.clientId === 'number' ? p.clientId : undefined,
    toUnitId: typeof p.toUnitId === 'number' ? p.toUnitId : undefined,
    amount: typeof p.listPrice === 'number' ? p.listPrice / 100 : typeof p.price === 'number' ? p.price / 100 : undefined,
  }
  return (
    <div className="bc-resubmit" data-testid="resubmit-form">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <Form
        form={form}
        name={`resubmit_${r.id}`}
        layout="vertical"
        size="small"
        initialValues={initial}
        onFinish={(v: ChangeValues) => {
          // a one-unit request (批量调价 is never resubmitted here), so it has its unit
          const { payload, comment } = unitChange(kind, r.unitId!, v)
          void act(() => api.try('changes.resubmit', { id: r.id, payload: payload ?? {}, comment }), t('board.drawer.resubmitted'), form)
        }}
      >
        <ChangeFields kind={kind} free={free} buildingNames={buildingNames} autoFocus />
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('board.drawer.resubmitSend')}
          </Button>
          <Button onClick={onCancel}>{t('board.drawer.cancel')}</Button>
        </Space>
      </Form>
    </div>
  )
}
