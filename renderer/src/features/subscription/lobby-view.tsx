import { Alert, Empty, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useCountdown } from '../../app/use-countdown'
import { errorText } from '../../i18n/error-text'
import { LobbyBoard } from './lobby-board'
import { clockText, useEventPoll } from './use-subscription'

/** The lobby display: the countdown, the group picking now by card number (never names), units sold on the published board, the draw and notices. */
export function LobbyView({ eventId }: { eventId: number }) {
  const { t } = useTranslation()
  const { data, until, problem } = useEventPoll('subscription.lobby', eventId)
  const left = useCountdown(until)
  if (problem) return <Alert type="error" showIcon message={t('subscription.loadFailed', { text: errorText(t, problem) })} />
  if (!data) return <Empty />
  const e = data.event
  const draw = e.draws.filter((d) => !d.void).at(-1)
  return (
    <div className="sub-lobby">
      <h2>
        {e.rehearsal && `【${t('subscription.rehearsal.tag')}】`}
        {e.name} · {t(`subscription.status.${e.status}`)}
      </h2>
      {e.notices.map((n) => (
        <Alert key={n.at} type="warning" showIcon message={t('subscription.lobby.notice', { at: formatBranchTime(n.at), text: n.text })} />
      ))}
      {e.status === 'running' && (
        <>
          <div className="sub-lobby-group">{t('subscription.dayGroup', { day: e.day, group: e.group, groups: e.groupsToday })}</div>
          <div className="sub-lobby-clock" data-testid="lobby-clock" aria-label={t('subscription.countdown')}>
            {clockText(left)}
          </div>
          <div className="sub-lobby-cards">
            <span>{t('subscription.lobby.current')}</span>
            {data.current.map((c) => (
              <span key={c.cardNo} className={`sub-card sub-card-${c.state}`}>
                {c.cardNo}
              </span>
            ))}
          </div>
        </>
      )}
      <div className="sub-lobby-sold">{t('subscription.lobby.picked', { count: data.picked.length })}</div>
      <LobbyBoard projectId={e.projectId} unitIds={e.unitIds} picked={data.picked} />
      {draw && (
        <dl className="sub-hashes">
          <dt>{t('subscription.lobby.commitment')}</dt>
          <dd data-testid="lobby-commitment">{draw.commitment}</dd>
          <dt>{t('subscription.lobby.listHash')}</dt>
          <dd>{draw.listHash}</dd>
          {draw.seed && (
            <>
              <dt>{t('subscription.lobby.seed')}</dt>
              <dd>{draw.seed}</dd>
            </>
          )}
        </dl>
      )}
      {e.rulesText && (
        <>
          <Typography.Title level={4}>{t('subscription.lobby.rules')}</Typography.Title>
          <Typography.Paragraph className="sub-rules">{e.rulesText}</Typography.Paragraph>
        </>
      )}
    </div>
  )
}
