import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { CampaignFigures } from '@shared/contract/campaigns'
import type { ApiErrorShape } from '@shared/contract/common'
import { SourceChannel } from '@shared/domain/client-enums'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'
import type { PageProps } from '../../app/routes'
import { errorText } from '../../i18n/error-text'
import type { CampaignItem } from './use-active-campaigns'

type Row = z.infer<typeof CampaignFigures>

interface Values {
  name: string
  channel: SourceChannel
  dates: [Dayjs, Dayjs]
  costYuan: number
}

const yuan = (n: number | null, none: string) => (n === null ? none : n.toLocaleString('zh-CN', { maximumFractionDigits: 2 }))

/** 营销活动 (#/campaigns, the manager's): every campaign with what it brought and cost; create, edit, end. */
export function CampaignsPage(_props: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const { modal } = App.useApp()
  const [rows, setRows] = useState<Row[] | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [editing, setEditing] = useState<CampaignItem | 'new' | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('campaigns.figures', {})
    if (r.ok) setRows(r.value.rows)
    else setProblem(r.error)
  }, [api])
  useEffect(() => void load(), [load])

  const end = (c: CampaignItem) =>
    modal.confirm({
      title: t('campaigns.end'),
      content: t('campaigns.endConfirm', { name: c.name }),
      onOk: async () => {
        const r = await api.try('campaigns.end', { id: c.id, version: c.version })
        if (!r.ok) setProblem(r.error)
        await load()
      },
    })

  const none = t('campaigns.noData')
  return (
    <div>
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('campaigns.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('campaigns.add')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('campaigns.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={errorText(t, problem)} closable onClose={() => setProblem(null)} style={{ marginBottom: 12 }} />}
      <Table<Row>
        rowKey={(r) => r.campaign.id}
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('campaigns.empty') }}
        columns={[
          { title: t('campaigns.name'), render: (_, r) => r.campaign.name },
          { title: t('campaigns.channel'), render: (_, r) => t(`clients.enums.sourceChannel.${r.campaign.channel}`) },
          { title: `${t('campaigns.startDate')} – ${t('campaigns.endDate')}`, render: (_, r) => `${r.campaign.startDate} – ${r.campaign.endDate}` },
          {
            title: t('campaigns.state'),
            render: (_, r) =>
              r.campaign.endedAt ? <Tag>{t('campaigns.ended')}</Tag> : r.campaign.active ? <Tag color="green">{t('campaigns.running')}</Tag> : <Tag>{t('campaigns.notRunning')}</Tag>,
          },
          { title: t('campaigns.costYuan'), align: 'right', render: (_, r) => yuan(r.campaign.costYuan, none) },
          { title: t('campaigns.clients'), align: 'right', dataIndex: 'clients' },
          { title: t('campaigns.visits'), align: 'right', dataIndex: 'visits' },
          { title: t('campaigns.followUps'), align: 'right', dataIndex: 'followUps' },
          { title: t('campaigns.deals'), align: 'right', dataIndex: 'deals' },
          { title: t('campaigns.costPerClient'), align: 'right', render: (_, r) => yuan(r.costPerClient, none) },
          { title: t('campaigns.costPerDeal'), align: 'right', render: (_, r) => yuan(r.costPerDeal, none) },
          {
            title: '',
            render: (_, r) =>
              r.campaign.endedAt === null && (
                <Space>
                  <Button size="small" onClick={() => setEditing(r.campaign)}>
                    {t('campaigns.edit')}
                  </Button>
                  <Button size="small" danger onClick={() => end(r.campaign)}>
                    {t('campaigns.end')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {editing !== null && (
        <CampaignModal
          campaign={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null)
            void load()
          }}
        />
      )}
    </div>
  )
}

/** The form of one campaign: a new one, or an edit of `campaign` at the version read. */
function CampaignModal({ campaign, onClose, onSaved }: { campaign: CampaignItem | null; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const today = dayjs()
  const initial: Partial<Values> = campaign
    ? { name: campaign.name, channel: campaign.channel, dates: [dayjs(campaign.startDate), dayjs(campaign.endDate)], costYuan: campaign.costYuan }
    : { channel: 'douyin', dates: [today, today.add(30, 'day')], costYuan: 0 }

  const save = useFormSave(form, {
    save: async (v) => {
      const r = await api.try('campaigns.save', {
        ...(campaign ? { id: campaign.id, version: campaign.version } : {}),
        name: v.name,
        channel: v.channel,
        startDate: v.dates[0].format('YYYY-MM-DD'),
        endDate: v.dates[1].format('YYYY-MM-DD'),
        costYuan: v.costYuan,
      })
      // the form's one range picker holds both dates
      return r.ok || (r.error.field !== 'startDate' && r.error.field !== 'endDate') ? r : { ok: false as const, error: { ...r.error, field: 'dates' } }
    },
    saved: () => {
      void message.success(t('campaigns.saved'))
      onSaved()
    },
    close: onClose,
    texts: APP_SAVE_TEXTS,
  })

  return (
    <FormDialog<Values>
      form={form}
      title={campaign ? campaign.name : t('campaigns.add')}
      okText={t('campaigns.save')}
      saving={save.saving}
      initialValues={initial}
      onFinish={save.submit}
      onCancel={save.cancel}
      testId="campaign-form"
    >
      {save.problem}
      <Form.Item name="name" label={t('campaigns.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input maxLength={60} data-autofocus />
      </Form.Item>
      <Form.Item name="channel" label={t('campaigns.channel')}>
        <Select options={SourceChannel.options.map((s) => ({ value: s, label: t(`clients.enums.sourceChannel.${s}`) }))} />
      </Form.Item>
      <Form.Item name="dates" label={`${t('campaigns.startDate')} – ${t('campaigns.endDate')}`} rules={[{ required: true, message: t('validation.required') }]}>
        <DatePicker.RangePicker allowClear={false} />
      </Form.Item>
      <Form.Item name="costYuan" label={t('campaigns.costYuan')} rules={[{ required: true, message: t('validation.required') }]}>
        <InputNumber min={0} max={100_000_000} precision={0} style={{ width: 200 }} />
      </Form.Item>
    </FormDialog>
  )
}
