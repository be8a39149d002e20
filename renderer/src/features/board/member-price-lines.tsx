import { Descriptions } from 'antd'
import { useTranslation } from 'react-i18next'
import { discountPercent } from '@shared/domain/member-price'
import { clubLevelText } from '../../i18n/shipped-words'
import { wan } from './format'

/** A member-priced deal: the list price it was priced from, the level's discount, and the price. */
export interface MemberPriceParts {
  listPrice: number
  level: string
  discountPermille: number
  discount: number
  /** the deal price: the member price, or below it after a further (agent's or approved) discount */
  price: number
}

/**
 * 标价 → 会员优惠（金卡会员 1%）→ 成交价, one line each; a further discount below the member price
 * gets its own line between, so the lines always add up.
 */
export function MemberPriceLines({ parts: p, testId }: { parts: MemberPriceParts; testId: string }) {
  const { t } = useTranslation()
  const further = p.listPrice - p.discount - p.price
  return (
    <Descriptions size="small" column={1} bordered data-testid={testId} title={t('board.drawer.memberPrice')} style={{ marginTop: 12 }}>
      <Descriptions.Item label={t('board.drawer.memberList')}>{t('board.wan', { v: wan(p.listPrice) })}</Descriptions.Item>
      <Descriptions.Item label={t('board.drawer.memberDiscount', { level: clubLevelText(t, p.level), percent: discountPercent(p.discountPermille) })}>{t('board.drawer.minusWan', { v: wan(p.discount) })}</Descriptions.Item>
      {further > 0 && <Descriptions.Item label={t('board.drawer.otherDiscount')}>{t('board.drawer.minusWan', { v: wan(further) })}</Descriptions.Item>}
      <Descriptions.Item label={t('board.drawer.memberDeal')}>
        <strong>{t('board.wan', { v: wan(p.price) })}</strong>
      </Descriptions.Item>
    </Descriptions>
  )
}
