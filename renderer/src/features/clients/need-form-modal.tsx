import { App, Checkbox, Divider, Form, Input, InputNumber, Radio, Select } from 'antd'
import type { Rule } from 'antd/es/form'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Requirement } from '@shared/contract/needs'
import { useApi } from '../../api/session-context'
import { CLIENT_SAVE_TEXTS } from './client-errors'
import { needEnumOptions } from './enum-text'
import type { ClientsTexts } from './texts.zh'
import { AMENITIES, needFormValues, needInput, type NeedFormValues } from './need-values'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

type Need = z.infer<typeof Requirement>

const PROPERTY_TYPES = ['apartment', 'villa', 'serviced_apartment', 'shop', 'office', 'factory', 'warehouse', 'other'] as const
const ORIENTATIONS = ['south', 'north', 'east', 'west', 'south_north', 'east_west', 'any'] as const
const DECORATIONS = ['bare', 'simple', 'fine', 'luxury', 'any'] as const
const PAYMENTS = ['full', 'loan', 'installment'] as const
const LOANS = ['commercial', 'provident', 'combined'] as const
const GRADES = ['A', 'B', 'C'] as const

/** 新增/编辑购房需求: ranges in m² and 万元; a lower bound above the upper one is stopped here and by the host. */
export function NeedFormModal({
  clientId,
  need,
  regionOptions,
  onClose,
  onSaved,
}: {
  clientId: number
  /** the requirement to edit; none for a new one. */
  need: Need | null
  regionOptions: string[]
  onClose(): void
  onSaved(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<NeedFormValues>()
  const kind = (Form.useWatch('kind', form) as NeedFormValues['kind'] | undefined) ?? need?.kind ?? 'residential'
  const payment = Form.useWatch('payment', form) as NeedFormValues['payment']
  const f = (k: keyof ClientsTexts['fields']) => t(`clients.fields.${k}`)
  const choose = t('clients.form.choose')

  /** The upper bound of a pair must not be below the lower one. */
  const notBelow = (minField: keyof NeedFormValues): Rule => ({ getFieldValue }) => ({
    validator(_, value: number | null | undefined) {
      const min = getFieldValue(minField) as number | null | undefined
      if (min == null || value == null || value >= min) return Promise.resolve()
      return Promise.reject(new Error(t('clients.errors.maxLess', { min: f(minField) })))
    },
  })

  const save = useFormSave(form, {
    save: (v) => {
      const data = needInput(v)
      return need ? api.try('needs.update', { id: need.id, version: need.version, ...data }) : api.try('needs.create', { clientId, ...data })
    },
    saved: () => {
      void message.success(t(need ? 'clients.needs.saved' : 'clients.needs.created'))
      onSaved()
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
    // ranges, regions and a note typed at length survive a reload or a lost connection
    draft: `needs.${clientId}.${need ? need.id : 'new'}`,
  })

  const number = (name: keyof NeedFormValues, props: { min?: number; max?: number; precision?: number; unit?: string }, rules: Rule[] = []) => (
    <Form.Item name={name} label={f(name)} rules={rules} dependencies={rules.length ? [name.replace('Max', 'Min')] : undefined}>
      <InputNumber
        min={props.min ?? 0}
        max={props.max}
        precision={props.precision ?? 0}
        addonAfter={props.unit}
        style={{ width: '100%' }}
        placeholder={t('clients.needs.any')}
      />
    </Form.Item>
  )
  const unit = (k: keyof ClientsTexts['units']) => t(`clients.units.${k}`)

  return (
    <Dialog
      open
      title={t(need ? 'clients.needs.editTitle' : 'clients.needs.createTitle')}
      okText={need ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      width={860}
      style={{ top: 24 }}
      styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflowY: 'auto', paddingRight: 8 } }}
      modalRender={(dom) => (
        <Form
          form={form}
          name="need"
          layout="vertical"
          initialValues={need ? needFormValues(need) : { kind: 'residential', regions: [], amenities: [] }}
          onFinish={save.submit}
          autoComplete="off"
          scrollToFirstError
        >
          {dom}
        </Form>
      )}
    >
      {save.problem}
      <Form.Item name="kind" label={t('clients.fields.kind')}>
        <Radio.Group optionType="button" options={needEnumOptions(t, 'kind', ['residential', 'commercial'])} />
      </Form.Item>
      <Divider orientation="left" orientationMargin={0} className="client-form-section">
        {t('clients.needs.sections.basic')}
      </Divider>
      <div className="client-form-grid need-form-grid">
        <Form.Item name="regions" label={f('regions')} className="client-form-wide">
          <Select mode="tags" maxCount={10} options={regionOptions.map((r) => ({ value: r }))} placeholder={t('clients.needs.regionsPlaceholder')} />
        </Form.Item>
        <Form.Item name="propertyType" label={f('propertyType')}>
          <Select options={needEnumOptions(t, 'propertyType', PROPERTY_TYPES)} allowClear placeholder={choose} />
        </Form.Item>
        <Form.Item name="layout" label={f('layout')}>
          <Input maxLength={20} placeholder={t('clients.needs.layoutPlaceholder')} />
        </Form.Item>
        {number('areaMin', { max: 100_000, precision: 2, unit: unit('m2') })}
        {number('areaMax', { max: 100_000, precision: 2, unit: unit('m2') }, [notBelow('areaMin')])}
        {number('bedroomsMin', { max: 20, unit: unit('rooms') })}
        {number('bedroomsMax', { max: 20, unit: unit('rooms') }, [notBelow('bedroomsMin')])}
        {number('bathroomsMin', { max: 20 })}
        {number('floorMin', { min: -5, max: 200, unit: unit('floor') })}
        {number('floorMax', { min: -5, max: 200, unit: unit('floor') }, [notBelow('floorMin')])}
        <Form.Item name="orientation" label={f('orientation')}>
          <Select options={needEnumOptions(t, 'orientation', ORIENTATIONS)} allowClear placeholder={choose} />
        </Form.Item>
        <Form.Item name="decoration" label={f('decoration')}>
          <Select options={needEnumOptions(t, 'decoration', DECORATIONS)} allowClear placeholder={choose} />
        </Form.Item>
        <Form.Item name="parking" label={f('parking')}>
          <Select options={needEnumOptions(t, 'parking', ['yes', 'no'])} allowClear placeholder={t('clients.needs.anyParking')} />
        </Form.Item>
        <Form.Item name="view" label={f('view')}>
          <Input maxLength={40} placeholder={t('clients.form.optional')} />
        </Form.Item>
        {kind === 'commercial' && (
          <>
            <Form.Item name="grade" label={f('grade')}>
              <Select options={needEnumOptions(t, 'grade', GRADES)} allowClear placeholder={choose} />
            </Form.Item>
            <Form.Item name="facilities" label={f('facilities')} className="client-form-wide">
              <Input maxLength={200} placeholder={t('clients.form.optional')} />
            </Form.Item>
          </>
        )}
      </div>
      <Divider orientation="left" orientationMargin={0} className="client-form-section">
        {t('clients.needs.sections.price')}
      </Divider>
      <div className="client-form-grid need-form-grid">
        {number('totalPriceMin', { max: 10_000_000, precision: 2, unit: unit('wan') })}
        {number('totalPriceMax', { max: 10_000_000, precision: 2, unit: unit('wan') }, [notBelow('totalPriceMin')])}
        {number('unitPriceMin', { max: 10_000_000, precision: 0, unit: unit('yuanPerM2') })}
        {number('unitPriceMax', { max: 10_000_000, precision: 0, unit: unit('yuanPerM2') }, [notBelow('unitPriceMin')])}
        <Form.Item name="payment" label={f('payment')}>
          <Select options={needEnumOptions(t, 'payment', PAYMENTS)} allowClear placeholder={choose} />
        </Form.Item>
        {payment === 'loan' && (
          <>
            <Form.Item name="loanType" label={f('loanType')}>
              <Select options={needEnumOptions(t, 'loanType', LOANS)} allowClear placeholder={choose} />
            </Form.Item>
            {number('mortgageRatio', { max: 90, unit: unit('percent') })}
          </>
        )}
      </div>
      <Divider orientation="left" orientationMargin={0} className="client-form-section">
        {t('clients.needs.sections.extra')}
      </Divider>
      <Form.Item name="amenities" label={f('amenities')}>
        <Checkbox.Group options={AMENITIES.map((a) => ({ value: a, label: t(`clients.need.amenities.${a}`) }))} />
      </Form.Item>
      <Form.Item name="note" label={f('note')}>
        <Input.TextArea rows={2} maxLength={500} showCount />
      </Form.Item>
    </Dialog>
  )
}
