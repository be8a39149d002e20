import { GlobalOutlined } from '@ant-design/icons'
import { Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { setLanguage, type Language } from '../i18n'

/** Chooses between Chinese and English; remembered on this PC. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <Select<Language>
      aria-label={t('language.label')}
      value={i18n.language === 'en' ? 'en' : 'zh'}
      onChange={(lang) => void setLanguage(lang)}
      prefix={<GlobalOutlined />}
      style={{ width: 120 }}
      options={[
        { value: 'zh', label: t('language.zh') },
        { value: 'en', label: t('language.en') },
      ]}
    />
  )
}
