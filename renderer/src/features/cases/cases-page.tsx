import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import type { Dayjs } from 'dayjs'
import type { TFunction } from 'i18next'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { CaseSearchInput, DealCase } from '@shared/contract/cases'
import type { ApiErrorShape } from '@shared/contract/common'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { sqm, wan, yuan, yuanPerSqm } from '../board/format'
import { m2ToArea, orNull, wanToFen } from '../clients/client-format'
import { CaseEntryModal } from './case-entry-modal'
import './cases.css'

const PAGE = 50

interface Values {
  project?: string
  community?: string
  layout?: string
  areaMin?: number | null
  areaMax?: number | null
  priceMin?: number | null
  priceMax?: number | null
  signed?: [Dayjs | null, Dayjs | null] | null
}

type Filter = Omit<z.input<typeof CaseSearchInput>, 'offset' | 'limit'>

/** The search the form holds: empty fields left out, m² and 万元 as the host counts them. */
function filterOf(v: Values): Filter {
  const f: Filter = {}
  const project = orNull(v.project)
  const community = orNull(v.community)
  const layout = orNull(v.layout)
  if (project) f.project = project
  if (community) f.community = community
  if (layout) f.layout = layout
  const areaMin = m2ToArea(v.areaMin)
  const areaMax = m2ToArea(v.areaMax)
  const priceMin = wanToFen(v.priceMin)
  const priceMax = wanToFen(v.priceMax)
  if (areaMin !== null) f.areaMin = areaMin
  if (areaMax !== null) f.areaMax = areaMax
  if (priceMin !== null) f.priceMin = priceMin
  if (priceMax !== null) f.priceMax = priceMax
  const [from, to] = v.signed ?? [null, null]
  if (from) f.from = from.format('YYYY-MM-DD')
  if (to) f.to = to.format('YYYY-MM-DD')
  return f
}

/** A case's terms as one line: an entered case's as typed; a deal's payments and member discount. */
function termsOf(t: TFunction, c: DealCase): string {
  if (c.source === 'entered') return [c.terms, c.note].filter((s) => s).join('；')
  return [
    c.instalments ? t('cases.instalments', { count: c.instalments }) : t('cases.noSchedule'),
    c.memberDiscount ? t('cases.memberDiscount', { yuan: yuan(c.memberDiscount) }) : null,
  ]
    .filter((s) => s !== null)
    .join('；')
}

/** 成交案例 (#/cases): the branch's closed deals and entered cases by project, community, layout, area, price and signing day, without their parties. */
export function CasesPage() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const mayEnter = mayCall(me.role, 'cases.enter')
  // null: no dialog; 'new': 录入案例; a case: 修改 it
  const [entry, setEntry] = useState<DealCase | 'new' | null>(null)
  const [form] = Form.useForm<Values>()
  const [filter, setFilter] = useState<Filter>({})
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ rows: DealCase[]; total: number } | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('cases.search', { ...filter, offset: (page - 1) * PAGE, limit: PAGE })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
  }, [api, filter, page])

  useEffect(() => {
    void load()
  }, [load])

  const columns: ColumnsType<DealCase> = [
    {
      key: 'source',
      title: t('cases.columns.source'),
      width: 90,
      render: (_, c) => <Tag color={c.source === 'entered' ? 'blue' : 'green'}>{t(`cases.source.${c.source}`)}</Tag>,
    },
    {
      key: 'project',
      title: t('cases.columns.project'),
      render: (_, c) => [c.project, c.community && c.community !== c.project ? c.community : null].filter((s) => s).join(' · ') + (c.district ? `（${c.district}）` : ''),
    },
    { key: 'building', title: t('cases.columns.building'), width: 100, render: (_, c) => c.building ?? '' },
    { key: 'floor', title: t('cases.columns.floor'), width: 80, render: (_, c) => (c.floor === null ? '' : t('cases.floorValue', { floor: c.floor })) },
    { key: 'layout', title: t('cases.columns.layout'), width: 100, render: (_, c) => c.layout ?? '' },
    { key: 'area', title: t('cases.columns.area'), width: 100, align: 'right', render: (_, c) => sqm(c.area) },
    { key: 'orientation', title: t('cases.columns.orientation'), width: 80, render: (_, c) => c.orientation ?? '' },
    { key: 'listPrice', title: t('cases.columns.listPrice'), width: 130, align: 'right', render: (_, c) => (c.listPrice === null ? '' : wan(c.listPrice)) },
    { key: 'price', title: t('cases.columns.price'), width: 130, align: 'right', render: (_, c) => <strong>{wan(c.price)}</strong> },
    { key: 'unitPrice', title: t('cases.columns.unitPrice'), width: 140, align: 'right', render: (_, c) => yuanPerSqm(c.unitPrice) },
    { key: 'signedOn', title: t('cases.columns.signedOn'), width: 110, dataIndex: 'signedOn' },
    { key: 'status', title: t('cases.columns.status'), width: 90, render: (_, c) => (c.status === null ? '' : <Tag color={c.status === 'sold' ? 'red' : 'orange'}>{t(`cases.status.${c.status}`)}</Tag>) },
    { key: 'terms', title: t('cases.columns.terms'), render: (_, c) => termsOf(t, c) },
  ]
  if (mayEnter) {
    columns.push({
      key: 'actions',
      title: t('cases.columns.actions'),
      width: 130,
      render: (_, c) =>
        c.source === 'entered' && (
          <Space size={0}>
            <Button size="small" type="link" onClick={() => setEntry(c)}>
              {t('cases.entry.edit')}
            </Button>
            <Popconfirm title={t('cases.entry.withdrawConfirm', { project: c.project })} okText={t('cases.entry.withdraw')} cancelText={t('cases.entry.cancel')} onConfirm={() => void withdraw(c)}>
              <Button size="small" type="link" danger>
                {t('cases.entry.withdraw')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    })
  }

  /** 撤回: takes an entered case out of the library, then shows the page again. */
  async function withdraw(c: DealCase) {
    const r = await api.try('cases.withdraw', { id: c.id, version: c.version ?? 0 })
    if (!r.ok) return void message.error(errorText(t, r.error))
    void message.success(t('cases.entry.withdrawn', { project: c.project }))
    void load()
  }

  return (
    <div className="cases-page" data-testid="cases-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4}>{t('cases.title')}</Typography.Title>
        {mayEnter && (
          <Button type="primary" onClick={() => setEntry('new')} data-testid="case-enter">
            {t('cases.entry.open')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('cases.hint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        name="cases-search"
        autoComplete="off"
        onFinish={(v) => {
          setPage(1)
          setFilter(filterOf(v))
        }}
        style={{ rowGap: 8, marginBottom: 12 }}
      >
        <Form.Item name="project" label={t('cases.project')}>
          <Input maxLength={60} allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="community" label={t('cases.community')}>
          <Input maxLength={60} allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="layout" label={t('cases.layout')}>
          <Input maxLength={20} allowClear placeholder={t('cases.layoutPlaceholder')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item label={t('cases.area')}>
          <Space.Compact>
            <Form.Item name="areaMin" noStyle>
              <InputNumber min={0} max={100_000} placeholder={t('cases.from')} aria-label={`${t('cases.area')} ${t('cases.from')}`} style={{ width: 90 }} />
            </Form.Item>
            <Form.Item name="areaMax" noStyle>
              <InputNumber min={0} max={100_000} placeholder={t('cases.to')} aria-label={`${t('cases.area')} ${t('cases.to')}`} style={{ width: 90 }} />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
        <Form.Item label={t('cases.price')}>
          <Space.Compact>
            <Form.Item name="priceMin" noStyle>
              <InputNumber min={0} max={10_000_000} placeholder={t('cases.from')} aria-label={`${t('cases.price')} ${t('cases.from')}`} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="priceMax" noStyle>
              <InputNumber min={0} max={10_000_000} placeholder={t('cases.to')} aria-label={`${t('cases.price')} ${t('cases.to')}`} style={{ width: 100 }} />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
        <Form.Item name="signed" label={t('cases.signedOn')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('cases.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields()
                setPage(1)
                setFilter({})
              }}
            >
              {t('cases.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {problem && <Alert type="error" showIcon role="alert" message={errorText(t, problem)} style={{ marginBottom: 12 }} />}
      <Table<DealCase>
        rowKey={(c) => `${c.source}:${c.id}`}
        size="small"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={data === null && problem === null}
        locale={{ emptyText: t('cases.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('cases.total', { count: n }), onChange: setPage }}
        scroll={{ x: 1500 }}
      />
      {entry !== null && (
        <CaseEntryModal
          editing={entry === 'new' ? null : entry}
          onClose={() => setEntry(null)}
          onDone={() => void load()}
        />
      )}
    </div>
  )
}
