import { SaveOutlined, UndoOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Descriptions, Form, InputNumber, Select, Space, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { BranchRulesSchema, type BranchRules } from '@shared/domain/rules'
import { useApi } from '../../api/session-context'
import { lostReasonOptions, lostReasonText, SHIPPED_LOST_REASON_VALUES } from '../../i18n/shipped-words'
import type { WorkTexts } from './texts.zh'
import { workErrorText, workFieldText } from './work-errors'
import { useFormSave } from '../../app/use-form-save'

type NumericRule = Exclude<keyof BranchRules, 'lostReasons'>
type Unit = 'hours' | 'days' | 'minutes' | 'people' | 'permille' | 'm2' | 'years' | 'yuan'

/** Every numeric rule, grouped as a manager thinks of them, with its unit. */
const GROUPS: ReadonlyArray<{ key: Exclude<keyof WorkTexts['settings']['groups'], 'lost'>; rules: ReadonlyArray<[NumericRule, Unit]> }> = [
  {
    key: 'deadlines',
    rules: [
      ['enquiryEntryHours', 'hours'],
      ['needsWithinHours', 'hours'],
      ['afterViewingHours', 'hours'],
      ['negotiationEveryHours', 'hours'],
      ['contractDays', 'days'],
      ['overdueEscalateHours', 'hours'],
    ],
  },
  {
    key: 'escalation',
    rules: [
      ['wakeUpDays', 'days'],
      ['escalateNegotiationDays', 'days'],
    ],
  },
  {
    key: 'pool',
    rules: [
      ['poolReturnDays', 'days'],
      ['claimObligationDays', 'days'],
      ['dailyClaimCap', 'people'],
    ],
  },
  {
    key: 'protection',
    rules: [
      ['ownerCap', 'people'],
      ['phoneProtectionDays', 'days'],
      ['visitProtectionDays', 'days'],
    ],
  },
  {
    key: 'other',
    rules: [
      ['viewingGraceMinutes', 'minutes'],
      ['smallDepositHoldHours', 'hours'],
    ],
  },
  {
    key: 'care',
    rules: [
      ['careMarketNoteDays', 'days'],
      ['careSalonDays', 'days'],
      ['careComparisonHours', 'hours'],
      ['carePurchasePlanDays', 'days'],
      ['careDealCasesDays', 'days'],
      ['careHandoverDays', 'days'],
      ['careFestivalGiftDays', 'days'],
    ],
  },
  {
    key: 'taxes',
    rules: [
      ['taxDeedFirstSmallPermille', 'permille'],
      ['taxDeedFirstLargePermille', 'permille'],
      ['taxDeedSecondSmallPermille', 'permille'],
      ['taxDeedSecondLargePermille', 'permille'],
      ['taxDeedOtherPermille', 'permille'],
      ['taxDeedAreaThresholdM2', 'm2'],
      ['taxVatPermille', 'permille'],
      ['taxVatExemptYears', 'years'],
      ['taxIncomePermille', 'permille'],
      ['taxStampPermille', 'permille'],
      ['taxRegistrationFeeYuan', 'yuan'],
    ],
  },
]

/** The allowed range of a rule, read from the shared schema (the host checks the same). */
function limits(name: NumericRule): { min: number; max: number } {
  const s = BranchRulesSchema.shape[name] as z.ZodNumber
  return { min: s.minValue ?? 0, max: s.maxValue ?? Number.MAX_SAFE_INTEGER }
}

/** What is wrong with a list of lost reasons per the shared schema, or '' when nothing is. */
function lostReasonsProblem(t: TFunction, value: unknown): string {
  const r = BranchRulesSchema.shape.lostReasons.safeParse(value)
  if (r.success) return ''
  const issue = r.error.issues[0] as { code: string; path: PropertyKey[]; minimum?: number; maximum?: number } | undefined
  if (!issue) return ''
  const list = issue.path.length === 0
  if (issue.code === 'too_small') return list ? t('work.validation.too_small_list', { minimum: issue.minimum }) : t('validation.required')
  if (issue.code === 'too_big') return list ? t('work.validation.too_big_list', { maximum: issue.maximum }) : t('validation.too_big', { maximum: issue.maximum })
  return t('validation.invalid_value')
}

/** The branch rules: an editable form for managers and admins, a read-only list for everyone else. */
export function RulesForm({ editable }: { editable: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<BranchRules>()
  const [rules, setRules] = useState<BranchRules | null>(null)
  // the rules could not be loaded
  const [loadProblem, setLoadProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('settings.getRules', {}).then((r) => (r.ok ? setRules(r.value) : setLoadProblem(r.error)))
  }, [api])

  useEffect(() => {
    if (rules) form.setFieldsValue(rules)
  }, [form, rules])

  const save = useFormSave(form, {
    /** sends the rules that changed; null when none did (nothing is sent) */
    save: async (v): Promise<Result<BranchRules | null>> => {
      const changed = Object.fromEntries(
        (Object.keys(v) as Array<keyof BranchRules>).filter((k) => JSON.stringify(v[k]) !== JSON.stringify(rules?.[k])).map((k) => [k, v[k]]),
      ) as Partial<BranchRules>
      if (Object.keys(changed).length === 0) return { ok: true, value: null }
      return api.try('settings.setRules', changed)
    },
    saved: (saved) => {
      if (!saved) return void message.info(t('work.settings.unchanged'))
      setRules(saved)
      void message.success(t('work.settings.saved'))
    },
    texts: { problem: workErrorText, field: (t, e) => workFieldText(t, e, e.field?.startsWith('lostReasons') ? 'list' : 'number') },
  })

  const unit = (u: Unit) => t(`work.common.${u}`)

  if (!rules) return loadProblem ? <Alert type="error" showIcon message={workErrorText(t, loadProblem)} /> : null

  if (!editable) {
    return (
      <div className="work-settings-section">
        <Alert type="info" showIcon message={t('work.settings.readOnly')} />
        {GROUPS.map((g) => (
          <Descriptions key={g.key} title={t(`work.settings.groups.${g.key}`)} bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }}>
            {g.rules.map(([name, u]) => (
              <Descriptions.Item key={name} label={t(`work.settings.rules.${name}`)}>
                {rules[name]} {unit(u)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        ))}
        <Descriptions title={t('work.settings.groups.lost')} bordered size="small" column={1}>
          <Descriptions.Item label={t('work.settings.rules.lostReasons')}>
            {rules.lostReasons.map((r) => (
              <Tag key={r}>{lostReasonText(t, r)}</Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </div>
    )
  }

  return (
    <Form
      form={form}
      name="rules"
      layout="horizontal"
      labelAlign="left"
      labelWrap
      colon={false}
      labelCol={{ flex: '1 1 0' }}
      wrapperCol={{ flex: '0 0 150px' }}
      requiredMark={false}
      onFinish={save.submit}
      className="work-settings-section work-rules-form"
    >
      {save.problem}
      <div className="work-rules-grid">
        {GROUPS.map((g) => (
          <Card key={g.key} size="small" title={t(`work.settings.groups.${g.key}`)}>
            {g.rules.map(([name, u]) => {
              const { min, max } = limits(name)
              const label = t(`work.settings.rules.${name}`)
              return (
                <Form.Item
                  key={name}
                  name={name}
                  label={label}
                  tooltip={t('work.settings.range', { min, max })}
                  rules={[
                    { required: true, message: t('work.validation.required', { field: label }) },
                    { type: 'number', min, message: t('work.validation.min', { min }) },
                    { type: 'number', max, message: t('work.validation.max', { max }) },
                  ]}
                >
                  <InputNumber precision={0} addonAfter={unit(u)} className="work-rule-input" />
                </Form.Item>
              )
            })}
          </Card>
        ))}
        <Card size="small" title={t('work.settings.groups.lost')}>
          <Form.Item
            name="lostReasons"
            wrapperCol={{ flex: '1 1 auto' }}
            extra={t('work.settings.lostReasonsHint')}
            rules={[{ validator: (_r, value: unknown) => (lostReasonsProblem(t, value) ? Promise.reject(new Error(lostReasonsProblem(t, value))) : Promise.resolve()) }]}
          >
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} options={lostReasonOptions(t, SHIPPED_LOST_REASON_VALUES)} aria-label={t('work.settings.rules.lostReasons')} />
          </Form.Item>
        </Card>
      </div>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.saving}>
          {t('work.settings.saveRules')}
        </Button>
        <Button icon={<UndoOutlined />} onClick={() => form.setFieldsValue(rules)}>
          {t('work.settings.reset')}
        </Button>
        <Typography.Text type="secondary">{t('work.settings.applyHint')}</Typography.Text>
      </Space>
    </Form>
  )
}
