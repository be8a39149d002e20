import { Alert, App, Button, Input, Space, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { clientErrorText } from '../clients/client-errors'
import { occasionLabel } from './greeting-modal'

type Template = OutputOf<'care.templates'>['templates'][number]

/** 问候模板 (managers): each occasion's words with placeholders such as {姓名}; an empty text restores the default. */
export function TemplatesModal({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [templates, setTemplates] = useState<Template[]>([])
  const [placeholders, setPlaceholders] = useState<string[]>([])
  const [drafts, setDrafts] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('care.templates', {}).then((r) => {
      if (!r.ok) return setProblem(r.error)
      setTemplates(r.value.templates)
      setPlaceholders(r.value.placeholders)
      setDrafts(Object.fromEntries(r.value.templates.map((x) => [x.occasion, x.text])))
    })
  }, [api])

  async function save(occasion: Template['occasion']) {
    const text = (drafts[occasion] ?? '').trim()
    const r = await api.try('care.setTemplate', { occasion, text: text === '' ? null : text })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setTemplates((all) => all.map((x) => (x.occasion === occasion ? r.value : x)))
    setDrafts((d) => ({ ...d, [occasion]: r.value.text }))
    void message.success(t('care.templates.saved'))
    onSaved()
  }

  return (
    <Dialog open title={t('care.templates.title')} onCancel={onClose} footer={<Button onClick={onClose}>{t('care.templates.close')}</Button>} width={720} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('care.templates.hint', { placeholders: placeholders.map((p) => `{${p}}`).join(' ') })}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 12 }} />}
      <Space direction="vertical" style={{ width: '100%' }} data-testid="care-templates">
        {templates.map((x) => (
          <div key={x.occasion}>
            <Space>
              <Typography.Text strong>{occasionLabel(t, x.occasion)}</Typography.Text>
              {x.edited && <Tag>{t('care.templates.edited')}</Tag>}
            </Space>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                aria-label={occasionLabel(t, x.occasion)}
                value={drafts[x.occasion] ?? ''}
                maxLength={300}
                onChange={(e) => setDrafts((d) => ({ ...d, [x.occasion]: e.target.value }))}
                onPressEnter={() => void save(x.occasion)}
              />
              <Button onClick={() => void save(x.occasion)}>{t('care.templates.save')}</Button>
            </Space.Compact>
          </div>
        ))}
      </Space>
    </Dialog>
  )
}
