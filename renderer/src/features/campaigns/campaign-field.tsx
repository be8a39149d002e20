import { Form, Select, type FormInstance } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useActiveCampaigns } from './use-active-campaigns'

/**
 * 来源活动: the running campaign that brought a client or a visit, as a form field `campaignId`.
 * With `channelField`, only the campaigns on the channel the form has chosen are offered (a
 * client's campaign runs on their source channel) and a choice that no longer fits is cleared.
 * Nothing shows while no campaign fits.
 */
export function CampaignField({ form, channelField }: { form: FormInstance; channelField?: string }) {
  const { t } = useTranslation()
  const campaigns = useActiveCampaigns()
  const channel = Form.useWatch(channelField ?? '__none', form) as string | undefined
  const fitting = channelField === undefined ? campaigns : campaigns.filter((c) => c.channel === channel)
  const chosen = Form.useWatch('campaignId', form) as number | undefined

  useEffect(() => {
    if (chosen !== undefined && campaigns.length > 0 && !fitting.some((c) => c.id === chosen)) form.setFieldValue('campaignId', undefined)
  }, [chosen, fitting, campaigns.length, form])

  if (fitting.length === 0) return null
  return (
    <Form.Item name="campaignId" label={t('campaigns.campaign')}>
      <Select allowClear placeholder={t('campaigns.campaignNone')} options={fitting.map((c) => ({ value: c.id, label: c.name }))} />
    </Form.Item>
  )
}

/** The campaign a form chose, as the API input takes it (absent when none). */
export function campaignInput(form: FormInstance): { campaignId?: number } {
  const id = form.getFieldValue('campaignId') as number | undefined
  return typeof id === 'number' ? { campaignId: id } : {}
}

/** A stand-alone pick of a running campaign (the desk's 到访登记 of a visit the campaign brought); nothing shows while none runs. */
export function CampaignPicker({ value, onChange }: { value: number | null; onChange(id: number | null): void }) {
  const { t } = useTranslation()
  const campaigns = useActiveCampaigns()
  if (campaigns.length === 0) return null
  return (
    <Select<number>
      allowClear
      style={{ minWidth: 180 }}
      aria-label={t('campaigns.campaign')}
      placeholder={t('campaigns.campaignNone')}
      value={value ?? undefined}
      onChange={(id) => onChange(id ?? null)}
      options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
      data-testid="visit-campaign"
    />
  )
}
