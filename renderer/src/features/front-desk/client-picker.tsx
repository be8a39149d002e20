import { Select, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useClientSearch } from '../clients/use-client-search'

/** A client chosen by search: name, pinyin, phone digits, 客户编号 or card number. */
export interface PickedClient {
  id: number
  name: string
  code: string
}

interface Props {
  value?: PickedClient | null
  onChange?: (c: PickedClient | null) => void
  placeholder?: string
  autoFocus?: boolean
  id?: string
  'aria-label'?: string
  style?: React.CSSProperties
}

/** A search box that picks one client (used where a client must be named: issue a card, sign up, refer). */
export function ClientPicker({ value, onChange, placeholder, autoFocus, id, style, ...rest }: Props) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const search = useClientSearch(typed, { limit: 10 })
  const hits = search.status === 'failed' ? [] : search.hits

  return (
    <Select<number>
      id={id}
      aria-label={rest['aria-label']}
      style={style ?? { width: '100%' }}
      showSearch
      allowClear
      autoFocus={autoFocus}
      filterOption={false}
      placeholder={placeholder ?? t('frontDesk.picker.placeholder')}
      notFoundContent={search.status === 'searching' ? t('frontDesk.search.searching') : t('frontDesk.search.none')}
      onSearch={setTyped}
      value={value?.id}
      labelRender={() => (value ? t('common.withAside', { text: value.name, aside: value.code }) : null)}
      onChange={(v) => {
        const h = hits.find((x) => x.id === v)
        onChange?.(h ? { id: h.id, name: h.name, code: h.code } : null)
      }}
      options={hits.map((h) => ({
        value: h.id,
        label: (
          <Space size={6} data-testid="picker-option">
            <strong>{h.name}</strong>
            <Typography.Text type="secondary">{h.code}</Typography.Text>
            {h.phone && <Typography.Text type="secondary">{h.phone}</Typography.Text>}
            {h.owner && <Typography.Text type="secondary">{t('frontDesk.search.owner', { name: h.owner.name })}</Typography.Text>}
            {h.blacklisted && <Tag color="red">{t('frontDesk.card.blacklistTag')}</Tag>}
          </Space>
        ),
      }))}
    />
  )
}
