import { CheckCircleFilled, CrownOutlined, PhoneOutlined, StopOutlined, UserOutlined, WarningFilled } from '@ant-design/icons'
import { Button } from 'antd'
import { forwardRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { clubLevelText } from '../../i18n/shipped-words'
import { formatBranchTime } from '@shared/domain/branch-time'
import { cardNumberText, discountText, protectionText, type DeskCard } from './desk-format'
import { hostText } from '../../i18n/host-text'

/** How the card came to be shown, and what happened at the counter since. */
export interface Shown {
  card: DeskCard
  /** 'swipe': the client's card was swiped; 'search': picked by search (or just registered). */
  source: 'swipe' | 'search'
  /** for a swipe: what the host said of the card. */
  status: 'known' | 'lost' | 'replaced'
  /** for a client without a card found by search: viewings and tasks were not loaded. */
  partial: boolean
  /** performance.now() of the swipe, to measure swipe-to-paint. */
  swipeAt: number | null
  /** how long the host took to answer the swipe (ms). */
  apiMs?: number
}

export interface Registered {
  ownerName: string | null
  protectedUntil: string | null
  at: string
}

interface Props {
  shown: Shown
  registered: Registered | null
  registering: boolean
  onRegister(): void
  /** the card's actions (挂失, 补卡, 发卡, history) and the profile link */
  actions: ReactNode
}

/** A full-width notice on the card (lost card, blacklist, visit registered); plain markup, it must paint fast. */
function Banner({ tone, icon, title, text, testId }: { tone: 'error' | 'success'; icon: ReactNode; title: string; text: ReactNode; testId: string }) {
  return (
    <div className={`desk-banner desk-banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <span className="desk-banner-icon">{icon}</span>
      <div>
        <div className="desk-banner-title">{title}</div>
        {text && <div className="desk-banner-text">{text}</div>}
      </div>
    </div>
  )
}

/** The client card 前台 shows after a swipe: who this is, who owns them, protection, blacklist, club, viewings, tasks. */
export const DeskCardView = forwardRef<HTMLDivElement, Props>(function DeskCardView({ shown, registered, registering, onRegister, actions }, ref) {
  const { t } = useTranslation()
  const c = shown.card
  // no standing: a colleague's client, whose service records the host keeps to the desk and those who work them
  const club = c.club
  const restricted = club === null
  const listNote = restricted ? t('frontDesk.card.notServed') : shown.partial ? t('frontDesk.card.seeProfile') : null
  const protection = protectionText(t, c.protectedUntil, c.owner !== null)
  const blocked = shown.source === 'swipe' && shown.status !== 'known'

  return (
    <section className="desk-card" ref={ref} tabIndex={-1} aria-label={t('frontDesk.card.label', { name: c.name })} data-testid="desk-card" data-card-status={c.card?.status ?? 'none'}>
      {blocked && (
        <Banner
          tone="error"
          icon={<StopOutlined />}
          testId="card-lost-alert"
          title={t(shown.status === 'lost' ? 'frontDesk.card.lostAlert' : 'frontDesk.card.replacedAlert')}
          text={t('frontDesk.card.lostHint', { uid: cardNumberText(c.card?.uid ?? '') })}
        />
      )}
      {c.blacklisted && (
        <Banner
          tone="error"
          icon={<WarningFilled />}
          testId="blacklist-alert"
          title={t('frontDesk.card.blacklisted')}
          text={c.blacklistReason ? t('frontDesk.card.blacklistReason', { reason: c.blacklistReason }) : null}
        />
      )}
      {registered && (
        <Banner
          tone="success"
          icon={<CheckCircleFilled />}
          testId="visit-confirmation"
          title={
            registered.ownerName
              ? t('frontDesk.visit.notified', { owner: registered.ownerName })
              : t('frontDesk.visit.registeredNoOwner')
          }
          text={
            registered.protectedUntil
              ? t('frontDesk.visit.protectedUntil', { at: formatBranchTime(registered.protectedUntil), time: formatBranchTime(registered.at) })
              : t('frontDesk.visit.at', { time: formatBranchTime(registered.at) })
          }
        />
      )}

      <div className="desk-card-head">
        <div className="desk-who">
          <h2 className="desk-name" data-testid="desk-name">
            {c.name}
          </h2>
          <div className="desk-row">
            <span className={`desk-tag desk-tag-${c.tier}`}>{t('frontDesk.card.tier', { tier: t(`clients.enums.tier.${c.tier}`) })}</span>
            <span className="desk-tag">{t('frontDesk.card.stage', { stage: t(`clients.enums.stage.${c.stage}`) })}</span>
            <span className="desk-muted">{c.code}</span>
            {c.phone && (
              <span className="desk-muted">
                <PhoneOutlined /> {c.phone}
              </span>
            )}
          </div>
          {club && (
            <div className="desk-club" data-testid="desk-club">
              <CrownOutlined />
              <strong>{clubLevelText(t, club.level)}</strong>
              <span>{t('frontDesk.club.points', { points: club.points })}</span>
              <span className="desk-muted">{discountText(t, club.discountPermille)}</span>
              {club.nextLevel && club.pointsToNext !== null && (
                <span className="desk-muted">{t('frontDesk.club.toNext', { points: club.pointsToNext, level: clubLevelText(t, club.nextLevel) })}</span>
              )}
            </div>
          )}
        </div>
        <div className="desk-register">
          {registered ? (
            <div className="desk-registered" data-testid="register-visit">
              <CheckCircleFilled /> {t('frontDesk.visit.done')}
            </div>
          ) : (
            <>
              <Button type="primary" size="large" onClick={onRegister} loading={registering} data-testid="register-visit">
                {t('frontDesk.visit.register')}
              </Button>
              <span className="desk-muted desk-key-hint">{t('frontDesk.visit.keyHint')}</span>
            </>
          )}
        </div>
      </div>

      <div className="desk-facts">
        <div className="desk-fact">
          <div className="desk-fact-label">{t('frontDesk.card.owner')}</div>
          {c.owner ? (
            <div className="desk-fact-value" data-testid="desk-owner">
              <UserOutlined /> {c.owner.name}
              {c.owner.phone && (
                <span className="desk-owner-phone">
                  <PhoneOutlined /> {c.owner.phone}
                </span>
              )}
            </div>
          ) : (
            <div className="desk-fact-value desk-muted">{t('frontDesk.card.noOwner')}</div>
          )}
        </div>
        <div className="desk-fact">
          <div className="desk-fact-label">{t('frontDesk.card.protection')}</div>
          <div className={`desk-fact-value desk-tone-${protection.tone}`} data-testid="desk-protection">
            {protection.text}
          </div>
          {c.protectedUntil && protection.tone !== 'over' && (
            <span className="desk-muted">{t('frontDesk.card.until', { at: formatBranchTime(c.protectedUntil) })}</span>
          )}
        </div>
        <div className="desk-fact">
          <div className="desk-fact-label">{t('frontDesk.card.entrusted')}</div>
          {c.entrustedOther ? (
            <div className="desk-fact-value desk-tone-soon" data-testid="desk-entrusted">
              {c.entrustedAgencies ? t('frontDesk.card.entrustedWith', { agencies: c.entrustedAgencies }) : t('frontDesk.card.entrustedYes')}
            </div>
          ) : (
            <div className="desk-fact-value desk-muted">{t('frontDesk.card.entrustedNo')}</div>
          )}
        </div>
        <div className="desk-fact">
          <div className="desk-fact-label">{t('frontDesk.card.lastVisit')}</div>
          <div className="desk-fact-value desk-muted">{c.lastVisitAt ? formatBranchTime(c.lastVisitAt) : listNote ? '—' : t('frontDesk.card.firstVisit')}</div>
        </div>
      </div>

      <div className="desk-lists">
        <div>
          <div className="desk-list-title">{t('frontDesk.card.viewings')}</div>
          {listNote ? (
            <span className="desk-muted">{listNote}</span>
          ) : c.lastViewings.length === 0 ? (
            <span className="desk-muted">{t('frontDesk.card.noViewings')}</span>
          ) : (
            <ul className="desk-list">
              {c.lastViewings.map((v) => (
                <li key={v.id}>
                  <span className="desk-list-time">{formatBranchTime(v.startsAt)}</span>
                  <span className="desk-list-main">{v.address ?? t('frontDesk.card.noAddress')}</span>
                  <span className="desk-muted">{v.agentName}</span>
                  <span className={`desk-tag desk-tag-${v.status}`}>{t(`frontDesk.viewingStatus.${v.status}`)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <div className="desk-list-title">{t('frontDesk.card.tasks')}</div>
          {listNote ? (
            <span className="desk-muted">{listNote}</span>
          ) : c.openTasks.length === 0 ? (
            <span className="desk-muted">{t('frontDesk.card.noTasks')}</span>
          ) : (
            <ul className="desk-list">
              {c.openTasks.map((task) => (
                <li key={task.id}>
                  <span className="desk-list-time">{formatBranchTime(task.dueAt)}</span>
                  <span className="desk-list-main">{hostText(t, task.title)}</span>
                  {task.overdue && <span className="desk-tag desk-tag-red">{t('frontDesk.card.overdue')}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>

      <div className="desk-card-foot">{actions}</div>
    </section>
  )
})
