import { PrinterOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { Dialog } from '../../app/dialog'
import type { EventView } from './use-subscription'

/**
 * 认购须知 as a sheet for the door and the picking desks (issue #21 item 2: the rules are printable as
 * well as shown on the lobby display): the event's terms and the rules text as the manager wrote
 * it, printed alone on A4 in black and white (the papers' print style, subscription.css). Chinese,
 * as the buyers read it.
 */
export function RulesPrint({ event, open, onClose }: { event: EventView['event']; open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Dialog
      open={open}
      onCancel={onClose}
      width={760}
      focusFirstField={false}
      title={t('subscription.rulesPrint.title', { name: event.name })}
      footer={
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('subscription.summary.print')}
        </Button>
      }
    >
      <div className="sub-paper" lang="zh-CN" data-testid="rules-print">
        <section className="sub-paper-page">
          <h2>认购须知</h2>
          <table className="sub-paper-terms">
            <tbody>
              <tr>
                <th>认购活动</th>
                <td colSpan={3}>{event.name}</td>
              </tr>
              <tr>
                <th>认购日期</th>
                <td colSpan={3}>{event.days.join('、')}</td>
              </tr>
              <tr>
                <th>每日卡数</th>
                <td>{event.cardsPerDay} 张</td>
                <th>每组</th>
                <td>
                  {event.groupSize} 张卡，{event.minutesPerGroup} 分钟
                </td>
              </tr>
              <tr>
                <th>选房顺序</th>
                <td colSpan={3}>{event.orderBy === 'draw' ? '按公开摇号顺序（可凭公开的种子自行验证）' : '按贵宾卡号顺序，卡号在先者优先'}</td>
              </tr>
            </tbody>
          </table>
          <p className="sub-rules">{event.rulesText.trim() === '' ? '（本次活动未另行填写须知）' : event.rulesText}</p>
        </section>
      </div>
    </Dialog>
  )
}
