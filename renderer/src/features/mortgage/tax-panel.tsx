import { Alert, Descriptions, InputNumber, Segmented, Space, Switch, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { DEFAULT_TAX_RATES, HOME_ORDINALS, purchaseTaxes, type HomeOrdinal, type TaxRates } from '@shared/domain/purchase-taxes'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'

const yuanText = (f: number) => (f / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/**
 * 税费测算 under the loan: the buyer's taxes and fees for the price, at the branch's rates
 * (设置 › 规则), and the cash needed at signing (down payment plus taxes). Opened from a unit, its
 * area (m², `startArea`) is filled in.
 */
export function TaxPanel({ priceFen, downPaymentFen, startArea }: { priceFen: number; downPaymentFen: number; startArea: number | null }) {
  const { t } = useTranslation()
  const api = useApi()
  const [rates, setRates] = useState<TaxRates>(DEFAULT_TAX_RATES)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [area, setArea] = useState<number | null>(startArea)
  const [home, setHome] = useState<HomeOrdinal>('first')
  const [resale, setResale] = useState(false)
  const [sellerYears, setSellerYears] = useState<number | null>(5)
  const [sellerOnlyHome, setSellerOnlyHome] = useState(true)

  // another unit's link opens the same page: its area replaces the one shown
  useEffect(() => setArea(startArea), [startArea])

  useEffect(() => {
    void api.try('settings.getRules', {}).then((r) => (r.ok ? setRates(r.value) : setProblem(r.error)))
  }, [api])

  const taxes =
    area !== null && area > 0 && Number.isFinite(priceFen) && priceFen > 0
      ? purchaseTaxes({ priceFen, area: Math.round(area * 100), home, resale, sellerYears: sellerYears ?? 0, sellerOnlyHome }, rates)
      : null

  return (
    <div className="mortgage-taxes" data-testid="mortgage-taxes">
      <Typography.Title level={5}>{t('mortgage.taxes.title')}</Typography.Title>
      {problem && <Alert type="warning" showIcon message={t('mortgage.taxes.defaultRates', { text: errorText(t, problem) })} style={{ marginBottom: 8 }} />}
      <Space wrap align="center" className="mortgage-tax-inputs">
        <label>
          {t('mortgage.taxes.area')}{' '}
          <InputNumber min={1} max={100_000} precision={2} value={area} onChange={setArea} style={{ width: 110 }} aria-label={t('mortgage.taxes.area')} />
        </label>
        <Segmented<HomeOrdinal> value={home} onChange={setHome} options={HOME_ORDINALS.map((h) => ({ value: h, label: t(`mortgage.taxes.homes.${h}`) }))} aria-label={t('mortgage.taxes.home')} />
        <label>
          {t('mortgage.taxes.resale')} <Switch checked={resale} onChange={setResale} aria-label={t('mortgage.taxes.resale')} />
        </label>
        {resale && (
          <>
            <label>
              {t('mortgage.taxes.sellerYears')}{' '}
              <InputNumber min={0} max={70} precision={0} value={sellerYears} onChange={setSellerYears} style={{ width: 80 }} aria-label={t('mortgage.taxes.sellerYears')} />
            </label>
            <label>
              {t('mortgage.taxes.sellerOnlyHome')} <Switch checked={sellerOnlyHome} onChange={setSellerOnlyHome} aria-label={t('mortgage.taxes.sellerOnlyHome')} />
            </label>
          </>
        )}
      </Space>
      {taxes ? (
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 8 }}>
          <Descriptions.Item label={t('mortgage.taxes.deed', { rate: taxes.deedPermille / 10 })}>{yuanText(taxes.deedTaxFen)}</Descriptions.Item>
          {resale && <Descriptions.Item label={t('mortgage.taxes.vat')}>{yuanText(taxes.vatFen)}</Descriptions.Item>}
          {resale && <Descriptions.Item label={t('mortgage.taxes.income')}>{yuanText(taxes.incomeTaxFen)}</Descriptions.Item>}
          <Descriptions.Item label={t('mortgage.taxes.stamp')}>{yuanText(taxes.stampFen)}</Descriptions.Item>
          <Descriptions.Item label={t('mortgage.taxes.registration')}>{yuanText(taxes.registrationFen)}</Descriptions.Item>
          <Descriptions.Item label={t('mortgage.taxes.total')}>
            <strong data-testid="mortgage-tax-total">{yuanText(taxes.totalFen)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('mortgage.taxes.cashAtSigning')}>{yuanText(taxes.totalFen + downPaymentFen)}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Text type="secondary">{t('mortgage.taxes.needArea')}</Typography.Text>
      )}
    </div>
  )
}
