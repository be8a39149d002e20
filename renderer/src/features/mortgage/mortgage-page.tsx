import { PrinterOutlined } from '@ant-design/icons'
import { Button, Descriptions, Form, InputNumber, Segmented, Select, Space, Typography } from 'antd'
import { useEffect, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { formatBranchTime } from '@shared/domain/branch-time'
import { DEFAULT_MORTGAGE_RATES, LOAN_KINDS, mortgagePlan, REPAYMENT_METHODS, type LoanKind, type MortgageError, type MortgageInput, type RepaymentMethod } from '@shared/domain/mortgage'
import { useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { validationText } from '../../i18n/error-text'
import { readMortgagePrefill } from './mortgage-href'
import { TaxPanel } from './tax-panel'
import './mortgage.css'

interface Values {
  price: number | null
  downPayment: number | null
  kind: LoanKind
  fundLoan: number | null
  commercialRatePct: number | null
  fundRatePct: number | null
  years: number | null
  method: RepaymentMethod
}

/** The form's field for each input of the rules (the form counts yuan, the rules fen). */
const FIELD: Record<MortgageError['field'], keyof Values> = {
  priceFen: 'price',
  downPaymentFen: 'downPayment',
  kind: 'kind',
  fundLoanFen: 'fundLoan',
  commercialRatePct: 'commercialRatePct',
  fundRatePct: 'fundRatePct',
  years: 'years',
  method: 'method',
}

const fen = (yuan: number | null) => (yuan === null ? Number.NaN : Math.round(yuan * 100))
const yuanText = (f: number) => (f / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/**
 * 贷款计算器 (#/mortgage, #/mortgage/unit/<yuan>/<unit>/<m²>, #/mortgage/budget/<yuan>): the monthly table of
 * a loan for a price, prefilled from a unit's list price (and its area for the taxes) or a client's budget; printable.
 */
export function MortgagePage({ params }: PageProps) {
  const { t } = useTranslation()
  const me = useMe()
  const [form] = Form.useForm<Values>()
  const [source] = params
  const { priceYuan: startPrice, label: unitLabel, areaM2 } = readMortgagePrefill(params)

  useEffect(() => {
    form.setFieldsValue({ price: startPrice, downPayment: startPrice === null ? null : Math.round(startPrice * 0.3) })
  }, [form, startPrice])

  const values = Form.useWatch([], form) as Values | undefined
  const input: MortgageInput | null = values
    ? {
        priceFen: fen(values.price),
        downPaymentFen: fen(values.downPayment ?? 0),
        kind: values.kind,
        fundLoanFen: fen(values.fundLoan),
        commercialRatePct: values.commercialRatePct ?? Number.NaN,
        fundRatePct: values.fundRatePct ?? Number.NaN,
        years: values.years ?? Number.NaN,
        method: values.method,
      }
    : null
  const result = useMemo(() => (input && values?.price !== null ? mortgagePlan(input) : null), [input, values?.price])
  const error = result && !result.ok ? result.error : null
  const plan = result?.ok ? result.plan : null
  const help = (field: keyof Values) =>
    error && FIELD[error.field] === field ? { validateStatus: 'error' as const, help: validationText(t, error.reason, error.field, error.params) ?? error.reason } : {}

  function ratio(r: number) {
    const price = form.getFieldValue('price') as number | null
    if (price) form.setFieldsValue({ downPayment: Math.round(price * r) })
  }

  function print() {
    document.body.classList.add('mortgage-printing')
    window.addEventListener('afterprint', () => document.body.classList.remove('mortgage-printing'), { once: true })
    window.print()
  }

  return (
    <div className="mortgage-page" data-testid="mortgage-page">
      <div className="mortgage-controls">
        <Typography.Title level={4}>{t('mortgage.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('mortgage.hint')}
          {startPrice !== null && (source === 'unit' ? ` ${t('mortgage.fromUnit', { unit: unitLabel ?? '' })}` : source === 'budget' ? ` ${t('mortgage.fromBudget')}` : '')}
        </Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          autoComplete="off"
          initialValues={{ kind: 'commercial', method: 'equal_instalment', years: 30, ...DEFAULT_MORTGAGE_RATES, fundLoan: null }}
          className="mortgage-form"
        >
          <Space wrap align="start">
            <Form.Item name="price" label={t('mortgage.price')} {...help('price')}>
              <InputNumber min={0} precision={0} style={{ width: 180 }} aria-label={t('mortgage.price')} autoFocus />
            </Form.Item>
            <Form.Item name="downPayment" label={t('mortgage.downPayment')} {...help('downPayment')}>
              <InputNumber min={0} precision={0} style={{ width: 180 }} aria-label={t('mortgage.downPayment')} />
            </Form.Item>
            <Form.Item label={t('mortgage.downPaymentRatio')}>
              <Space size={4}>
                {[0.15, 0.2, 0.3, 0.5].map((r) => (
                  <Button key={r} size="small" onClick={() => ratio(r)}>
                    {r * 100}%
                  </Button>
                ))}
              </Space>
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="kind" label={t('mortgage.kind')}>
              <Select<LoanKind> style={{ width: 200 }} options={LOAN_KINDS.map((k) => ({ value: k, label: t(`mortgage.kinds.${k}`) }))} aria-label={t('mortgage.kind')} />
            </Form.Item>
            {values?.kind === 'combined' && (
              <Form.Item name="fundLoan" label={t('mortgage.fundLoan')} {...help('fundLoan')}>
                <InputNumber min={0} precision={0} style={{ width: 180 }} aria-label={t('mortgage.fundLoan')} />
              </Form.Item>
            )}
            {values?.kind !== 'fund' && (
              <Form.Item name="commercialRatePct" label={t('mortgage.commercialRate')} {...help('commercialRatePct')}>
                <InputNumber min={0} step={0.05} precision={3} style={{ width: 140 }} aria-label={t('mortgage.commercialRate')} />
              </Form.Item>
            )}
            {values?.kind !== 'commercial' && (
              <Form.Item name="fundRatePct" label={t('mortgage.fundRate')} {...help('fundRatePct')}>
                <InputNumber min={0} step={0.05} precision={3} style={{ width: 140 }} aria-label={t('mortgage.fundRate')} />
              </Form.Item>
            )}
            <Form.Item name="years" label={t('mortgage.years')} {...help('years')}>
              <InputNumber min={1} max={30} precision={0} style={{ width: 100 }} aria-label={t('mortgage.years')} />
            </Form.Item>
            <Form.Item name="method" label={t('mortgage.method')}>
              <Segmented<RepaymentMethod> options={REPAYMENT_METHODS.map((m) => ({ value: m, label: t(`mortgage.methods.${m}`) }))} />
            </Form.Item>
          </Space>
        </Form>
      </div>
      {plan && (
        <div className="mortgage-result" data-testid="mortgage-result">
          <div className="mortgage-print-head">
            <Typography.Title level={4}>{t('mortgage.title')}</Typography.Title>
          </div>
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 3 }}>
            <Descriptions.Item label={t('mortgage.price')}>{yuanText(input?.priceFen ?? 0)}</Descriptions.Item>
            <Descriptions.Item label={t('mortgage.downPayment')}>{yuanText(input?.downPaymentFen ?? 0)}</Descriptions.Item>
            <Descriptions.Item label={t('mortgage.loan')}>
              {yuanText(plan.loanFen)}
              {plan.fundLoanFen > 0 && plan.commercialLoanFen > 0 && t('mortgage.loanParts', { commercial: yuanText(plan.commercialLoanFen), fund: yuanText(plan.fundLoanFen) })}
            </Descriptions.Item>
            <Descriptions.Item label={values?.method === 'equal_principal' ? t('mortgage.monthlyFirst') : t('mortgage.monthly')}>
              <strong data-testid="mortgage-monthly">{yuanText(plan.firstPaymentFen)}</strong>
            </Descriptions.Item>
            {values?.method === 'equal_principal' && <Descriptions.Item label={t('mortgage.monthlyLast')}>{yuanText(plan.lastPaymentFen)}</Descriptions.Item>}
            <Descriptions.Item label={t('mortgage.totalInterest')}>
              <span data-testid="mortgage-interest">{yuanText(plan.totalInterestFen)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('mortgage.totalPayment')}>{yuanText(plan.totalPaymentFen)}</Descriptions.Item>
            <Descriptions.Item label={t('mortgage.months')}>{t('mortgage.monthsValue', { count: plan.months })}</Descriptions.Item>
            <Descriptions.Item label={t('mortgage.method')}>{values ? t(`mortgage.methods.${values.method}`) : ''}</Descriptions.Item>
          </Descriptions>
          <TaxPanel priceFen={input?.priceFen ?? 0} downPaymentFen={input?.downPaymentFen ?? 0} startArea={areaM2} />
          <div className="mortgage-toolbar">
            <Button icon={<PrinterOutlined />} onClick={print}>
              {t('mortgage.print')}
            </Button>
          </div>
          <div className="mortgage-table-wrap">
            <table className="mortgage-table">
              <thead>
                <tr>
                  <th>{t('mortgage.table.month')}</th>
                  <th>{t('mortgage.table.payment')}</th>
                  <th>{t('mortgage.table.principal')}</th>
                  <th>{t('mortgage.table.interest')}</th>
                  <th>{t('mortgage.table.remaining')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.rows.map((r) => (
                  <tr key={r.month}>
                    <td>{r.month}</td>
                    <td>{yuanText(r.paymentFen)}</td>
                    <td>{yuanText(r.principalFen)}</td>
                    <td>{yuanText(r.interestFen)}</td>
                    <td>{yuanText(r.remainingFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="mortgage-print-foot">{t('mortgage.printedAt', { at: formatBranchTime(new Date().toISOString()), name: me.name })}</div>
        </div>
      )}
    </div>
  )
}
