import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Form, Input, InputNumber, Space, Table, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { clubLevelText } from '../../i18n/shipped-words'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { deskErrorText, putDeskError } from '../front-desk/desk-errors'
import { discountText } from '../front-desk/desk-format'

type Level = OutputOf<'club.levels'>['levels'][number]

/** 会员等级: the point thresholds and discounts; managers edit them, everyone else reads. */
export function LevelsPanel({ mayEdit }: { mayEdit: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ levels: Level[] }>()
  const [levels, setLevels] = useState<Level[] | null>(null)
  const [editing, setEditing] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    void api.try('club.levels', {}).then((r) => (r.ok ? setLevels(r.value.levels) : setError(deskErrorText(t, r.error))))
  }, [api, t])

  const save = async (v: { levels: Level[] }) => {
    setSaving(true)
    setError(null)
    const r = await api.try('club.setLevels', { levels: v.levels })
    setSaving(false)
    if (!r.ok) {
      if (!putDeskError(form, t, r.error)) setError(deskErrorText(t, r.error))
      return
    }
    setLevels(r.value.levels)
    setEditing(false)
    void message.success(t('members.levels.saved'))
  }

  if (!editing) {
    return (
      <div className="members-panel">
        <Space className="members-toolbar">
          <Typography.Text type="secondary">{t('members.levels.hint')}</Typography.Text>
          {mayEdit && (
            <Button
              onClick={() => {
                form.setFieldsValue({ levels: levels ?? [] })
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
            { title: t('members.levels.minPoints'), dataIndex: 'minPoints', render: (v: number) => t('members.levels.from', { points: v }) },
            { title: t('members.levels.discount'), dataIndex: 'discountPermille', render: (v: number) => discountText(t, v) },
          ]}
        />
      </div>
    )
  }

  return (
    <div className="members-panel">
      <Form form={form} name="levels" onFinish={(v) => void save(v)} requiredMark={false}>
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <>
              <table className="members-level-table">
                <thead>
                  <tr>
                    <th>{t('members.levels.name')}</th>
                    <th>{t('members.levels.minPoints')}</th>
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
              <Button type="dashed" block style={{ maxWidth: 620 }} icon={<PlusOutlined />} onClick={() => add({ name: '', minPoints: undefined, discountPermille: 0 })} disabled={fields.length >= 20}>
                {t('members.levels.add')}
              </Button>
            </>
          )}
        </Form.List>
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} />}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="levels-save">
            {t('common.save')}
          </Button>
          <Button
            onClick={() => {
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
