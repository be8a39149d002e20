import { TableOutlined } from '@ant-design/icons'
import { Button, Checkbox, Popover, Space, Typography } from 'antd'
import type { ColDef } from 'ag-grid-community'
import { useTranslation } from 'react-i18next'
import type { ClientRow } from '@shared/contract/clients'
import { FIXED_COLUMNS } from './client-columns'

/** 列设置: which columns of the client grid this user sees (remembered under prefs `clients.columns`). */
export function ColumnChooser({
  columns,
  hidden,
  onChange,
  onReset,
}: {
  columns: ColDef<ClientRow>[]
  hidden: ReadonlySet<string>
  onChange(hidden: string[]): void
  onReset(): void
}) {
  const { t } = useTranslation()
  const visible = columns.map((c) => c.colId ?? '').filter((id) => !hidden.has(id))
  const content = (
    <div className="clients-column-chooser">
      <Typography.Text type="secondary">{t('clients.list.columnsHint')}</Typography.Text>
      <Checkbox.Group
        value={visible}
        onChange={(v) => onChange(columns.map((c) => c.colId ?? '').filter((id) => !v.includes(id)))}
        options={columns.map((c) => ({ value: c.colId ?? '', label: c.headerName ?? '', disabled: FIXED_COLUMNS.includes(c.colId ?? '') }))}
      />
      <Space>
        <Button size="small" onClick={onReset}>
          {t('clients.list.columnsReset')}
        </Button>
      </Space>
    </div>
  )
  return (
    <Popover trigger="click" placement="bottomRight" content={content}>
      <Button icon={<TableOutlined />}>{t('clients.list.columns')}</Button>
    </Popover>
  )
}
