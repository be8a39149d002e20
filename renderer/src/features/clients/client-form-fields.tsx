import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { AutoComplete, Button, Divider, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { RegionNode } from '@shared/contract/clients'
import { DemandType, Education, Gender, Horizon, Schooling, SourceChannel, Stage, Tier, WealthTier } from '@shared/domain/client-enums'
import type { TextKind } from '@shared/domain/text-kinds'
import { textRule } from '../../app/text-rules'
import type { ClientFormValues } from './client-form-values'
import { clientEnumOptions } from './enum-text'
import type { ClientsTexts } from './texts.zh'

type Region = z.infer<typeof RegionNode>

export type OwnerField = { kind: 'auto' } | { kind: 'desk' } | { kind: 'select'; options: Array<{ value: number; label: string }> } | { kind: 'none' }

interface ClientFormFieldsProps {
  kind: ClientFormValues['kind']
  mode: 'create' | 'edit'
  /** false when the viewer sees masked numbers (only the owner edits phones). */
  phonesEditable: boolean
  owner: OwnerField
  regions: Region[] | null
  /** under each phone row: the 防撞单 result for that number. */
  phoneNote?(index: number): ReactNode
  /** under the name: the 防撞单 result for an organisation name. */
  nameNote?: ReactNode
  /** beside the source channel: the campaign that brought a new client (营销活动) */
  afterSource?: ReactNode
  onPhoneFocus?(index: number | null): void
  /** the stage the client is at now (流失 is set from the follow-ups, not here). */
  currentStage?: string
}

const MAX_PHONES = 5

/** The fields of a client, grouped as a counter clerk fills them in: basics, phones, sales, person or organisation, other. */
export function ClientFormFields({ kind, mode, phonesEditable, owner, regions, phoneNote, nameNote, afterSource, onPhoneFocus, currentStage }: ClientFormFieldsProps) {
  const { t } = useTranslation()
  const form = Form.useFormInstance<ClientFormValues>()
  const entrusted = Form.useWatch('entrustedOther', form)
  const region = Form.useWatch('region', form) as string | undefined
  const f = (k: keyof ClientsTexts['fields']) => t(`clients.fields.${k}`)
  const text = (kind: TextKind) => textRule(t, kind)
  const required = (k: keyof ClientsTexts['fields'], choose = false) => [
    { required: true, whitespace: !choose, message: t(choose ? 'clients.errors.choose' : 'clients.errors.required', { field: f(k) }) },
  ]
  const optional = t('clients.form.optional')
  const choose = t('clients.form.choose')
  const section = (k: keyof ClientsTexts['form']['sections']) => (
    <Divider orientation="left" orientationMargin={0} className="client-form-section">
      {t(`clients.form.sections.${k}`)}
    </Divider>
  )
  const stages = Stage.options.filter((s) => s !== 'lost' || currentStage === 'lost')
  const communities = regions?.find((r) => r.region === region)?.communities ?? regions?.flatMap((r) => r.communities) ?? []

  return (
    <>
      {section('basic')}
      <div className="client-form-grid">
        <Form.Item name="name" label={f(kind === 'org' ? 'orgName' : 'name')} rules={[...required(kind === 'org' ? 'orgName' : 'name'), text('name')]} extra={nameNote}>
          {/* the name is what the clerk came to type, not the kind above it */}
          <Input maxLength={80} autoComplete="off" data-autofocus />
        </Form.Item>
        {kind === 'org' && (
          <Form.Item name={['org', 'contactName']} label={f('contactName')} rules={[text('name')]}>
            <Input maxLength={40} placeholder={optional} />
          </Form.Item>
        )}
        <Form.Item name="sourceChannel" label={f('sourceChannel')} rules={required('sourceChannel', true)}>
          <Select options={clientEnumOptions(t, 'sourceChannel', SourceChannel.options)} placeholder={choose} />
        </Form.Item>
        {afterSource}
        <Form.Item name="tier" label={f('tier')}>
          <Select options={clientEnumOptions(t, 'tier', Tier.options)} />
        </Form.Item>
        <Form.Item name="stage" label={f('stage')} extra={mode === 'edit' ? t('clients.form.stageLostHint') : undefined}>
          <Select options={clientEnumOptions(t, 'stage', stages)} disabled={currentStage === 'lost'} />
        </Form.Item>
        {owner.kind === 'select' && (
          <Form.Item name="ownerId" label={f('ownerId')}>
            <Select options={owner.options} allowClear showSearch optionFilterProp="label" placeholder={t('clients.form.ownerPlaceholder')} />
          </Form.Item>
        )}
        {(owner.kind === 'auto' || owner.kind === 'desk') && (
          <Form.Item label={f('ownerId')}>
            <Typography.Text type="secondary">{t(owner.kind === 'auto' ? 'clients.form.ownerAuto' : 'clients.form.ownerAutoDesk')}</Typography.Text>
          </Form.Item>
        )}
      </div>

      {section('contact')}
      {phonesEditable ? (
        <Form.List name="phones">
          {(fields, { add, remove }) => (
            <div className="client-phones">
              {fields.map((field, i) => (
                <div key={field.key} className="client-phone-row">
                  <Space align="start" wrap={false} className="client-phone-inputs">
                    <Form.Item
                      name={[field.name, 'number']}
                      label={i === 0 ? f('phone') : undefined}
                      aria-label={`${f('phone')} ${i + 1}`}
                      rules={i === 0 ? required('phone') : []}
                      className="client-phone-number"
                    >
                      <Input
                        inputMode="tel"
                        maxLength={40}
                        placeholder={t('clients.form.phonePlaceholder')}
                        autoComplete="off"
                        aria-label={`${f('phone')} ${i + 1}`}
                        onFocus={() => onPhoneFocus?.(i)}
                        onBlur={() => onPhoneFocus?.(null)}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'label']} label={i === 0 ? f('phoneLabel') : undefined} className="client-phone-label" rules={[text('line')]}>
                      <Input maxLength={20} placeholder={t('clients.form.phoneLabelPlaceholder')} aria-label={`${f('phoneLabel')} ${i + 1}`} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        aria-label={t('clients.form.removePhone')}
                        title={t('clients.form.removePhone')}
                        onClick={() => remove(field.name)}
                        className={i === 0 ? 'client-phone-remove-first' : undefined}
                      />
                    )}
                  </Space>
                  {phoneNote?.(i)}
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= MAX_PHONES} onClick={() => add({ number: '', label: '' })}>
                {fields.length >= MAX_PHONES ? t('clients.form.maxPhones') : t('clients.form.addPhone')}
              </Button>
            </div>
          )}
        </Form.List>
      ) : (
        <Typography.Paragraph type="secondary">{t('clients.form.phonesMasked')}</Typography.Paragraph>
      )}

      {section('sales')}
      <div className="client-form-grid">
        <Form.Item name="demandType" label={f('demandType')}>
          <Select options={clientEnumOptions(t, 'demandType', DemandType.options)} allowClear placeholder={choose} />
        </Form.Item>
        <Form.Item name="purchaseHorizon" label={f('purchaseHorizon')}>
          <Select options={clientEnumOptions(t, 'horizon', Horizon.options)} allowClear placeholder={choose} />
        </Form.Item>
        <Form.Item name="wealthTier" label={f('wealthTier')}>
          <Select options={clientEnumOptions(t, 'wealthTier', WealthTier.options)} allowClear placeholder={choose} />
        </Form.Item>
        <Form.Item name="region" label={f('region')} rules={[text('line')]}>
          <AutoComplete
            options={(regions ?? []).map((r) => ({ value: r.region }))}
            filterOption={(input, o) => String(o?.value ?? '').includes(input)}
            placeholder={t('clients.form.regionPlaceholder')}
            maxLength={40}
            allowClear
          />
        </Form.Item>
        <Form.Item name="community" label={f('community')} rules={[text('line')]}>
          <AutoComplete
            options={communities.map((c) => ({ value: c.community }))}
            filterOption={(input, o) => String(o?.value ?? '').includes(input)}
            placeholder={t('clients.form.communityPlaceholder')}
            maxLength={60}
            allowClear
          />
        </Form.Item>
        <Form.Item name="entrustedOther" label={f('entrustedOther')} valuePropName="checked">
          <Switch checkedChildren={t('clients.form.yes')} unCheckedChildren={t('clients.form.no')} />
        </Form.Item>
        {entrusted && (
          <Form.Item name="entrustedAgencies" label={f('entrustedAgencies')} className="client-form-wide" rules={[text('line')]}>
            <Input maxLength={200} placeholder={optional} />
          </Form.Item>
        )}
      </div>

      {kind === 'person' ? (
        <>
          {section('person')}
          <div className="client-form-grid">
            <Form.Item name="gender" label={f('gender')}>
              <Select options={clientEnumOptions(t, 'gender', Gender.options)} allowClear placeholder={choose} />
            </Form.Item>
            <Form.Item name="age" label={f('age')}>
              <InputNumber min={0} max={120} precision={0} style={{ width: '100%' }} placeholder={optional} />
            </Form.Item>
            <Form.Item name="birthDate" label={f('birthDate')} rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('clients.errors.birthDate') }]}>
              <Input maxLength={10} placeholder="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item name="idNumber" label={f('idNumber')} extra={t('clients.form.idNumberHelp')}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
            <Form.Item name="nativePlace" label={f('nativePlace')} rules={[text('line')]}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
            <Form.Item name="education" label={f('education')}>
              <Select options={clientEnumOptions(t, 'education', Education.options)} allowClear placeholder={choose} />
            </Form.Item>
            <Form.Item name="email" label={f('email')} rules={[{ type: 'email', message: t('clients.errors.email') }]}>
              <Input maxLength={120} placeholder={optional} />
            </Form.Item>
            <Form.Item name="fax" label={f('fax')} rules={[text('code')]}>
              <Input maxLength={30} placeholder={optional} />
            </Form.Item>
            <Form.Item name="address" label={f('address')} className="client-form-wide" rules={[text('line')]}>
              <Input maxLength={200} placeholder={optional} />
            </Form.Item>
          </div>
          {section('household')}
          <div className="client-form-grid">
            <Form.Item name="householdSize" label={f('householdSize')}>
              <InputNumber min={1} max={30} precision={0} style={{ width: '100%' }} placeholder={optional} addonAfter={t('clients.units.people')} />
            </Form.Item>
          </div>
          <Form.List name="children">
            {(fields, { add, remove }) => (
              <div className="client-children">
                {fields.map((field, i) => (
                  <Space key={field.key} align="start">
                    <Form.Item
                      name={[field.name, 'age']}
                      label={i === 0 ? f('childAge') : undefined}
                      rules={[{ required: true, message: t('clients.errors.required', { field: f('childAge') }) }]}
                    >
                      <InputNumber min={0} max={40} precision={0} aria-label={`${f('childAge')} ${i + 1}`} addonAfter={t('clients.units.years')} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'schooling']}
                      label={i === 0 ? f('schooling') : undefined}
                      rules={[{ required: true, message: t('clients.errors.choose', { field: f('schooling') }) }]}
                    >
                      <Select options={clientEnumOptions(t, 'schooling', Schooling.options)} style={{ width: 140 }} aria-label={`${f('schooling')} ${i + 1}`} placeholder={choose} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} className={i === 0 ? 'client-phone-remove-first' : undefined}>
                      {t('clients.form.removeChild')}
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 10} onClick={() => add({})}>
                  {t('clients.form.addChild')}
                </Button>
              </div>
            )}
          </Form.List>
          {section('work')}
          <div className="client-form-grid">
            <Form.Item name="industry" label={f('industry')} rules={[text('line')]}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
            <Form.Item name="employer" label={f('employer')} rules={[text('name')]}>
              <Input maxLength={80} placeholder={optional} />
            </Form.Item>
            <Form.Item name="jobTitle" label={f('jobTitle')} rules={[text('line')]}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
          </div>
        </>
      ) : (
        <>
          {section('org')}
          <div className="client-form-grid">
            <Form.Item name={['org', 'legalRep']} label={f('legalRep')} rules={[text('name')]}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
            <Form.Item name="industry" label={f('industry')} rules={[text('line')]}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
            <Form.Item name={['org', 'term']} label={f('term')} rules={[text('line')]}>
              <Input maxLength={40} placeholder={optional} />
            </Form.Item>
            <Form.Item name={['org', 'officeAddress']} label={f('officeAddress')} className="client-form-wide" rules={[text('line')]}>
              <Input maxLength={200} placeholder={optional} />
            </Form.Item>
            <Form.Item name={['org', 'businessArea']} label={f('businessArea')} rules={[text('line')]}>
              <Input maxLength={100} placeholder={optional} />
            </Form.Item>
            <Form.Item name={['org', 'businessScope']} label={f('businessScope')} className="client-form-wide" rules={[text('line')]}>
              <Input maxLength={200} placeholder={optional} />
            </Form.Item>
            <Form.Item name="email" label={f('email')} rules={[{ type: 'email', message: t('clients.errors.email') }]}>
              <Input maxLength={120} placeholder={optional} />
            </Form.Item>
            <Form.Item name="fax" label={f('fax')} rules={[text('code')]}>
              <Input maxLength={30} placeholder={optional} />
            </Form.Item>
          </div>
        </>
      )}

      {section('other')}
      <Form.Item name="manualTags" label={f('manualTags')}>
        <Select mode="tags" maxCount={20} tokenSeparators={[',', '，']} placeholder={t('clients.form.tagsPlaceholder')} open={false} suffixIcon={null} />
      </Form.Item>
    </>
  )
}
