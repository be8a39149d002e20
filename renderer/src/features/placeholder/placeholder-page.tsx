import { ToolOutlined } from '@ant-design/icons'
import { Result } from 'antd'
import { useTranslation } from 'react-i18next'

/** Stands in for an area that is not built yet, saying so in plain words. */
export function PlaceholderPage({ area }: { area: string }) {
  const { t } = useTranslation()
  return (
    <Result
      icon={<ToolOutlined style={{ color: '#8c8c8c' }} />}
      title={t('placeholder.title', { area })}
      subTitle={t('placeholder.subtitle')}
    />
  )
}
