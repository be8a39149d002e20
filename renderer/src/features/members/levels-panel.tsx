import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Form, Input, InputNumber, Segmented, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { clubLevelText } from '../../i18n/shipped-words'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { useFormSave } from '../../app/use-form-save'
import { DESK_SAVE_TEXTS, deskErrorText, putDeskError } from '../front-desk/desk-errors'
import { discountText } from '../front-desk/desk-format'

type Level = OutputOf<'club.levels'>['levels'][number]
type Rule = OutputOf<'club.levels'>['rule']
type Move = OutputOf<'club.previewLevels'>['rows'][number]
/** A level as the form edits it: the purchase amount in 万元 (the stored amount is in fen). */
type LevelForm = Omit<Level, 'minAmountFen'> & { minAmountWan: number }
interface Values {
  rule: Rule
  levels: LevelForm[]
}

const FEN_PER_WAN = 1_000_000
const toForm = (l: Level): LevelForm => ({ name: l.name, minPoints: l.minPoints, discountPermille: l.discountPermille, minDeals: l.minDeals, minAmountWan: l.minAmountFen / FEN_PER_WAN })
const fromForm = (l: LevelForm) => ({ name: l.name, minPoints: l.minPoints, discountPermille: l.discountPermille, minDeals: l.minDeals ?? 0, minAmountFen: Math.round((l.minAmountWan ?? 0) * FEN_PER_WAN) })

/** 会员等级: the thresholds (points, or purchase amount and deals: the branch's rule) and discounts; managers edit them, with a preview of who moves, everyone else reads. */
export function LevelsPanel({ mayEdit }: { mayEdit: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [levels, setLevels] = useState<Level[] | null>(null)
  const [rule, setRule] = useState<Rule>('points')
  const [preview, setPreview] = useState<{ rows: Move[]; total: number; members: number } | null>(null)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    void api.try('club.levels', {}).then((r) => {
      if (!r.ok) return setError(deskErrorText(t, r.error))
      setLevels(r.value.levels)
      setRule(r.value.rule)
    })
  }, [api, t])

  const showPreview = async () => {
    const v = await form.validateFields()
    setError(null)
    const r = await api.try('club.previewLevels', { levels: v.levels.map(fromForm), rule: v.rule, limit: 500 })
    if (!r.ok) {
      if (!putDeskError(form, t, r.error)) setError(deskErrorText(t, r.error))
      return
    }
    setPreview(r.value)
  }

  // a form on the page (no close): saved, it goes back to the table
  const save = useFormSave(form, {
    save: (v) => api.try('club.setLevels', { levels: v.levels.map(fromForm), rule: v.rule }),
    saved: (r) => {
      setLevels(r.levels)
      setRule(r.rule)
      setPreview(null)
      // a preview's failure is past too
      setError(null)
      setEditing(false)
      void message.success(t('members.levels.saved'))
    },
    texts: DESK_SAVE_TEXTS,
  })

  if (!editing) {
    return (
      <div className="members-panel">
        <Space className="members-toolbar">
          <Typography.Text type="secondary">{t(rule === 'points' ? 'members.levels.hint' : 'members.levels.hintPurchases')}</Typography.Text>
          {mayEdit && (
            <Button
              onClick={() => {
                form.setFieldsValue({ rule, levels: (levels ?? []).map(toForm) })
                setPreview(null)
                setEditing(true)
              }}
              disabled={levels === null}
              data-testid="levels-edit"
            >
              {t('members.levels.edit')}
            </Button>
          )}
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        <Table<Level>
          size="middle"
          rowKey="name"
          loading={levels === null && !error}
          dataSource={levels ?? []}
          pagination={false}
          columns={[
            { title: t('members.levels.name'), dataIndex: 'name', render: (name: string) => clubLevelText(t, name) },
            ...(rule === 'points'
              ? [{ title: t('members.levels.minPoints'), dataIndex: 'minPoints', render: (v: number) => t('members.levels.from', { points: v }) }]
              : [
                  { title: t('members.levels.minAmountWan'), dataIndex: 'minAmountFen', render: (v: number) => t('members.levels.fromWan', { wan: v / FEN_PER_WAN }) },
                  { title: t('members.levels.minDeals'), dataIndex: 'minDeals', render: (v: number) => t('members.levels.fromDeals', { count: v }) },
                ]),
            { title: t('members.levels.discount'), dataIndex: 'discountPermille', render: (v: number) => discountText(t, v) },
          ]}
        />
      </div>
    )
  }

  return (
    <div className="members-panel">
      {save.problem}
      <Form form={form} name="levels" onFinish={save.submit} onValuesChange={() => setPreview(null)} requiredMark={false}>
        <Form.Item name="rule" label={t('members.levels.rule')}>
          <Segmented<Rule>
            options={[
              { value: 'points', label: t('members.levels.rules.points') },
              { value: 'purchases', label: t('members.levels.rules.purchases') },
            ]}
          />
        </Form.Item>
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <>
              <table className="members-level-table">
                <thead>
                  <tr>
                    <th>{t('members.levels.name')}</th>
                    <th>{t('members.levels.minPoints')}</th>
                    <th>{t('members.levels.minAmountWan')}</th>
                    <th>{t('members.levels.minDeals')}</th>
                    <th>{t('members.levels.discountPermille')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {fields.map((f) => (
                    <tr key={f.key} data-testid="level-row">
                      <td>
                        <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('members.levels.nameRequired') }]}>
                          <Input maxLength={20} aria-label={t('members.levels.name')} />
                        </Form.Item>
                      </td>
                      <td>
                        <Form.Item name={[f.name, 'minPoints']} rules={[{ required: true, message: t('members.levels.pointsRequired') }]}>
                          <InputNumber min={0} max={10_000_000} precision={0} style={{ width: 160 }} aria-label={t('members.levels.minPoints')} />
                        </Form.Item>
                      </td>
                      <td>
                        <Form.Item name={[f.name, 'minAmountWan']}>
                          <InputNumber min={0} max={1_000_000} precision={2} style={{ width: 130 }} aria-label={t('members.levels.minAmountWan')} />
                        </Form.Item>
                      </td>
                      <td>
                        <Form.Item name={[f.name, 'minDeals']}>
                          <InputNumber min={0} max={1000} precision={0} style={{ width: 100 }} aria-label={t('members.levels.minDeals')} />
                        </Form.Item>
                      </td>
                      <td>
                        <Form.Item name={[f.name, 'discountPermille']} rules={[{ required: true, message: t('members.levels.discountRequired') }]}>
                          <InputNumber min={0} max={500} precision={0} style={{ width: 120 }} aria-label={t('members.levels.discountPermille')} />
                        </Form.Item>
                      </td>
                      <td>
                        <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('members.levels.remove')} disabled={fields.length <= 1} onClick={() => remove(f.name)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Button type="dashed" block style={{ maxWidth: 620 }} icon={<PlusOutlined />} onClick={() => add({ name: '', minPoints: undefined, discountPermille: 0, minAmountWan: 0, minDeals: 0 })} disabled={fields.length >= 20}>
                {t('members.levels.add')}
              </Button>
            </>
          )}
        </Form.List>
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} />}
        {preview && (
          <div style={{ marginTop: 12 }} data-testid="levels-preview">
            <Typography.Text>{t('members.levels.previewSummary', { moved: preview.total, members: preview.members })}</Typography.Text>
            <Table<Move>
              size="small"
              rowKey="clientId"
              dataSource={preview.rows}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              columns={[
                { title: t('members.levels.client'), render: (_, m) => `${m.name} · ${m.code}` },
                { title: t('members.levels.move'), render: (_, m) => `${clubLevelText(t, m.from)} → ${clubLevelText(t, m.to)}` },
                { title: '', width: 70, render: (_, m) => (m.direction === 'same' ? null : <Tag color={m.direction === 'up' ? 'green' : 'orange'}>{t(`members.levels.${m.direction}`)}</Tag>) },
              ]}
            />
          </div>
        )}
        <Space style={{ marginTop: 16 }}>
          <Button onClick={() => void showPreview()} data-testid="levels-preview-button">
            {t('members.levels.preview')}
          </Button>
          <Button type="primary" htmlType="submit" loading={save.saving} data-testid="levels-save">
            {t('common.save')}
          </Button>
          <Button
            onClick={() => {
              save.cancel()
              setEditing(false)
              setError(null)
            }}
          >
            {t('common.cancel')}
          </Button>
        </Space>
      </Form>
    </div>
  )
}
