import { EditOutlined } from '@ant-design/icons'
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Radio, Select, Space, Table, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_BULK_PRICE_UNITS } from '@shared/contract/changes'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { newListPrice, type PriceChangeMode } from './bulk-price'
import { boardErrorText, signedWan, wan } from './format'
import type { BoardUnit } from './use-board'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

interface BulkPriceProps {
  units: readonly BoardUnit[]
  buildings: ReadonlyArray<{ id: number; name: string }>
}

interface PreviewRow {
  unitId: number
  unit: string
  was: number
  listPrice: number
}

/** 批量调价: the toolbar button (for whoever may ask for changes) and its dialog. */
export function BulkPriceButton(props: BulkPriceProps) {
  const { t } = useTranslation()
  const me = useMe()
  const [open, setOpen] = useState(false)
  if (!mayCall(me.role, 'changes.request')) return null
  return (
    <>
      <Button icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="bulk-price">
        {t('board.bulk.button')}
      </Button>
      {open && <BulkPriceModal {...props} onClose={() => setOpen(false)} />}
    </>
  )
}

interface BulkValues {
  buildingIds: number[]
  floorFrom: number | null
  floorTo: number | null
  onlyAvailable: boolean
  mode: PriceChangeMode
  change: number | null
  comment?: string
}

/** Pick buildings, floors and a change; see every unit's new price; send it all as one request for approval. */
function BulkPriceModal({ units, buildings, onClose }: BulkPriceProps & { onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<BulkValues>()
  // the board's floor range as the dialog opens
  const [initial] = useState<BulkValues>(() => {
    const floors = units.map((u) => u.floor)
    return {
      buildingIds: [],
      floorFrom: floors.length ? Math.min(...floors) : null,
      floorTo: floors.length ? Math.max(...floors) : null,
      onlyAvailable: true,
      mode: 'percent',
      change: null,
    }
  })
  // the preview follows every change; before the form's first render, its opening values
  const watched = Form.useWatch((all: BulkValues) => all, form)
  const { buildingIds = [], floorFrom = null, floorTo = null, onlyAvailable = true, mode = 'percent', change = null } = watched ?? initial

  const names = useMemo(() => new Map(buildings.map((b) => [b.id, b.name])), [buildings])
  const rows = useMemo<PreviewRow[]>(() => {
    if (!change) return []
    return units
      .filter(
        (u) =>
          (buildingIds.length === 0 || buildingIds.includes(u.buildingId)) &&
          (floorFrom === null || u.floor >= floorFrom) &&
          (floorTo === null || u.floor <= floorTo) &&
          (!onlyAvailable || u.status === 'available'),
      )
      .map((u) => ({ unitId: u.id, unit: `${names.get(u.buildingId) ?? ''}-${u.number}`, was: u.listPrice, listPrice: newListPrice(u.listPrice, mode, change) }))
      .filter((r) => r.listPrice !== r.was)
  }, [units, buildingIds, floorFrom, floorTo, onlyAvailable, mode, change, names])
  const belowZero = rows.filter((r) => r.listPrice <= 0).length
  const tooMany = rows.length > MAX_BULK_PRICE_UNITS
  const delta = rows.reduce((sum, r) => sum + r.listPrice - r.was, 0)

  const save = useFormSave(form, {
    // the rows as previewed: the values they were computed from are the ones submitted
    save: (v) => api.try('changes.request', { kind: 'bulkPrice', payload: { items: rows.map((x) => ({ unitId: x.unitId, listPrice: x.listPrice })) }, comment: v.comment?.trim() || undefined }),
    saved: () => void message.success(t('board.bulk.submitted')),
    close: onClose,
    texts: { problem: boardErrorText },
  })
  const blocked = rows.length === 0 || tooMany || belowZero > 0

  return (
    <Dialog open title={t('board.bulk.title')} onCancel={save.cancel} width={760} footer={null}>
      {save.problem}
      <Form<BulkValues> form={form} name="bulk" layout="vertical" size="small" initialValues={initial} onFinish={(v) => !blocked && save.submit(v)}>
        <Space wrap align="start" size={16}>
          <Form.Item name="buildingIds" label={t('board.bulk.building')} htmlFor="bulk_buildings">
            <Select
              id="bulk_buildings"
              mode="multiple"
              allowClear
              style={{ minWidth: 200 }}
              placeholder={t('board.bulk.allBuildings')}
              options={buildings.map((b) => ({ value: b.id, label: b.name }))}
            />
          </Form.Item>
          <Form.Item label={t('board.bulk.floors')}>
            <Space size={4}>
              <Form.Item name="floorFrom" noStyle>
                <InputNumber aria-label={t('board.bulk.floorFrom')} placeholder={t('board.bulk.floorFrom')} precision={0} style={{ width: 80 }} />
              </Form.Item>
              <span>–</span>
              <Form.Item name="floorTo" noStyle>
                <InputNumber aria-label={t('board.bulk.floorTo')} placeholder={t('board.bulk.floorTo')} precision={0} style={{ width: 80 }} />
              </Form.Item>
            </Space>
          </Form.Item>
          <Form.Item name="onlyAvailable" label=" " valuePropName="checked">
            <Checkbox>{t('board.bulk.onlyAvailable')}</Checkbox>
          </Form.Item>
        </Space>
        <Space wrap align="start" size={16}>
          <Form.Item name="mode" label={t('board.bulk.mode')}>
            <Radio.Group optionType="button">
              <Radio.Button value="percent">{t('board.bulk.percent')}</Radio.Button>
              <Radio.Button value="amount">{t('board.bulk.amount')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="change" label={t('board.bulk.change')} extra={mode === 'percent' ? t('board.bulk.percentHint') : t('board.bulk.amountHint')}>
            <InputNumber precision={mode === 'percent' ? 2 : 0} min={mode === 'percent' ? -90 : undefined} max={mode === 'percent' ? 100 : undefined} style={{ width: 160 }} />
          </Form.Item>
        </Space>

        <Typography.Title level={5}>{t('board.bulk.preview')}</Typography.Title>
        {change ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            {rows.length === 0 ? (
              <Typography.Text type="secondary">{t('board.bulk.none')}</Typography.Text>
            ) : (
              <Typography.Text data-testid="bulk-summary">{t('board.bulk.summary', { count: rows.length, delta: signedWan(delta) })}</Typography.Text>
            )}
            {tooMany && <Alert type="warning" showIcon message={t('board.bulk.tooMany', { max: MAX_BULK_PRICE_UNITS })} />}
            {belowZero > 0 && <Alert type="warning" showIcon message={t('board.bulk.belowZero', { count: belowZero })} />}
            <Table
              size="small"
              rowKey="unitId"
              dataSource={rows}
              pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
              columns={[
                { title: t('board.bulk.unit'), dataIndex: 'unit' },
                { title: t('board.bulk.was'), dataIndex: 'was', align: 'right', render: (v: number) => wan(v) },
                { title: t('board.bulk.now'), dataIndex: 'listPrice', align: 'right', render: (v: number) => (v > 0 ? wan(v) : <Typography.Text type="danger">{wan(v)}</Typography.Text>) },
                { title: t('board.bulk.diff'), align: 'right', render: (_: unknown, r: PreviewRow) => signedWan(r.listPrice - r.was) },
              ]}
            />
          </Space>
        ) : (
          <Typography.Text type="secondary">{mode === 'percent' ? t('board.bulk.percentHint') : t('board.bulk.amountHint')}</Typography.Text>
        )}

        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Form.Item name="comment" noStyle>
            <Input.TextArea rows={2} maxLength={500} placeholder={t('board.bulk.comment')} aria-label={t('board.bulk.comment')} />
          </Form.Item>
          <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
            <Button onClick={save.cancel}>{t('common.cancel')}</Button>
            <Button type="primary" loading={save.saving} disabled={blocked} onClick={() => form.submit()} data-dialog-submit>
              {t('board.bulk.submit')}
            </Button>
          </Space>
        </Space>
      </Form>
    </Dialog>
  )
}
