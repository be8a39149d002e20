import { CalculatorOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { useMe } from '../../api/session-context'
import { mayOpen, ROUTES } from '../../app/routes'
import { mortgageHref } from './mortgage-href'

/** 贷款计算: a link to the calculator prefilled with a unit's price and area or a client's budget; nothing for a role without it. */
export function MortgageLink(props: { source: 'unit' | 'budget'; priceFen: number | null; label?: string; area?: number | null }) {
  const { t } = useTranslation()
  const me = useMe()
  const route = ROUTES.find((r) => r.nav === 'mortgage')
  if (props.priceFen === null || props.priceFen <= 0 || !route || !mayOpen(me.role, route)) return null
  return (
    <Button size="small" type="link" icon={<CalculatorOutlined />} href={mortgageHref({ source: props.source, priceFen: props.priceFen, label: props.label, area: props.area })} data-testid="mortgage-link">
      {t('mortgage.open')}
    </Button>
  )
}
