import { PrinterOutlined } from '@ant-design/icons'
import { Alert, Button } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchDate } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { errorText } from '../../i18n/error-text'
import { sqm, yuan } from '../board/format'

type Agreement = OutputOf<'subscription.agreement'>

/** The signature lines both papers end with. */
function Signatures() {
  return (
    <div className="sub-paper-signs">
      <p>买受人（签字）：________________　　日期：____年__月__日</p>
      <p>经办人（签字）：________________　　日期：____年__月__日</p>
    </div>
  )
}

/** The deal's figures as both papers state them. */
function Terms({ a }: { a: Agreement }) {
  return (
    <table className="sub-paper-terms">
      <tbody>
        <tr><th>项目</th><td>{a.projectName}</td><th>认购活动</th><td>{a.eventName}</td></tr>
        <tr><th>买受人</th><td>{a.buyer}</td><th>贵宾卡号</th><td>{a.cardNo}（收据号 {a.receiptNo}）</td></tr>
        <tr><th>房号</th><td>{a.unitLabel}</td><th>户型 / 建筑面积</th><td>{a.layout ?? '—'} / {sqm(a.area)} m²</td></tr>
        <tr><th>表价</th><td>¥{yuan(a.listPrice)}</td><th>会员优惠</th><td>{a.memberLevel ? `${a.memberLevel}：-¥${yuan(a.memberDiscount)}` : '无'}</td></tr>
        <tr><th>成交价</th><td>¥{yuan(a.dealPrice)}</td><th>已付意向金</th><td>¥{yuan(a.deposit)}</td></tr>
        <tr><th>尚需支付</th><td>¥{yuan(a.due)}</td><th>认购日期</th><td>{formatBranchDate(a.pickedAt)}</td></tr>
      </tbody>
    </table>
  )
}

/**
 * The papers of a pick (zh: the documents are Chinese): the 认购书, and for a villa the 别墅预定协议
 * on its own page; printed alone on A4 in black and white.
 */
export function AgreementPrint({ eventId, cardNo, onClose }: { eventId: number; cardNo: number | null; onClose: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [a, setA] = useState<Agreement | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  useEffect(() => {
    setA(null)
    setProblem(null)
    if (cardNo !== null) void api.try('subscription.agreement', { eventId, cardNo }).then((r) => (r.ok ? setA(r.value) : setProblem(r.error)))
  }, [api, eventId, cardNo])
  return (
    <Dialog
      open={cardNo !== null}
      onCancel={onClose}
      width={760}
      focusFirstField={false}
      title={t('subscription.paper.title', { cardNo })}
      footer={
        <Button type="primary" icon={<PrinterOutlined />} disabled={!a} onClick={() => window.print()}>
          {t('subscription.summary.print')}
        </Button>
      }
    >
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} />}
      {a && (
        <div className="sub-paper" lang="zh-CN">
          <section className="sub-paper-page">
            <h2>认购书</h2>
            <Terms a={a} />
            <p>买受人凭上述贵宾卡于认购日选定上述房源。已付意向金转作认购定金，抵作房款；买受人应按开发商通知的期限签订《商品房买卖合同》并支付余款。逾期未签约的，按认购须知处理。</p>
            <Signatures />
          </section>
          {a.villa && (
            <section className="sub-paper-page">
              <h2>别墅预定协议</h2>
              <Terms a={a} />
              <p>买受人预定上述别墅。已付意向金转作预定金，抵作房款；双方应在开发商通知的期限内签订《商品房买卖合同》。买受人放弃预定的，按认购须知处理预定金。</p>
              <Signatures />
            </section>
          )}
        </div>
      )}
    </Dialog>
  )
}
