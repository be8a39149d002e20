import { CreditCardOutlined, CustomerServiceOutlined, HistoryOutlined, IdcardOutlined, SearchOutlined, StopOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons'
import { App, Button, Input, Space, Tag, Typography, type InputRef } from 'antd'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { SearchHit } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { useClientSearch } from '../clients/use-client-search'
import { CardHistoryModal } from './card-history-modal'
import { SWIPE_FIELD_ATTR, typedFormat, typeInto, useCardSwipes } from './card-swipes'
import { DeskCardView, type Registered, type Shown } from './desk-card'
import { deskErrorText } from './desk-errors'
import { cardNumberText, looksLikeCard } from './desk-format'
import { IssueExistingModal } from './issue-existing-modal'
import { ReaderStatusLight } from './reader-light'
import { SearchResults } from './search-results'
import { SwipeCardModal } from './swipe-card-modal'
import type { CardReadInput } from './swipe-catcher'
import { TicketIntakeModal } from '../tickets/ticket-intake-modal'
import { WalkInModal } from './walk-in-modal'
import './front-desk.css'
import { CampaignPicker } from '../campaigns/campaign-field'

type Waiting = { mode: 'replace'; cardId: number } | { mode: 'issue'; clientId: number } | null

const TEXT_TARGETS = 'input, textarea, select, button, a, [contenteditable="true"], [role="option"], [role="button"], .ant-modal'

/** 前台: swipe a card or search, see the client card at once, register the visit with one key. */
export function FrontDeskPage(_props: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const { message, modal } = App.useApp()

  const field = useRef<InputRef>(null)
  const cardEl = useRef<HTMLDivElement>(null)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const [shown, setShown] = useState<Shown | null>(null)
  const [unknownUid, setUnknownUid] = useState<string | null>(null)
  const [registered, setRegistered] = useState<Registered | null>(null)
  const [registering, setRegistering] = useState(false)
  // the running campaign the desk credits the next visits to (营销活动), kept while the page is open
  const [visitCampaign, setVisitCampaign] = useState<number | null>(null)
  const [lastSwipe, setLastSwipe] = useState<{ ms: number; api: number } | null>(null)
  const [walkIn, setWalkIn] = useState<{ cardUid: string | null } | null>(null)
  const [issueUid, setIssueUid] = useState<string | null>(null)
  const [waiting, setWaiting] = useState<Waiting>(null)
  const [history, setHistory] = useState<{ id: number; name: string } | null>(null)
  // 登记投诉: a complaint taken for the client on the card (issue 20)
  const [complaint, setComplaint] = useState<{ id: number; name: string; code: string } | null>(null)
  const [confirming, setConfirming] = useState(false)
  const seq = useRef(0)
  // Enter pressed before the results came: open the first one when they do
  const enterPending = useRef(false)
  // live search as the clerk types
  const search = useClientSearch(query, {
    limit: 8,
    delayMs: 120,
    onAnswer: (s) => {
      setActive(0)
      const first = s.status === 'done' ? s.hits[0] : undefined
      if (enterPending.current && first) {
        enterPending.current = false
        pick(first)
      } else if (s.error) void message.error(deskErrorText(t, s.error))
    },
  })
  // null: nothing typed, no result list
  const hits = search.status === 'idle' ? null : search.hits
  const searching = search.status === 'searching'
  const dialogOpen = walkIn !== null || issueUid !== null || waiting !== null || history !== null || confirming

  const focusField = () => field.current?.focus()

  const clearSearch = () => {
    setQuery('')
    setActive(0)
  }

  const showCard = useCallback((next: Shown | null) => {
    setShown(next)
    setUnknownUid(null)
    setRegistered(null)
  }, [])

  /** Who is at the counter: one round trip, everything on the card comes back with it. */
  const identify = useCallback(
    async (read: CardReadInput, at: number | null) => {
      const mine = ++seq.current
      const sent = performance.now()
      const r = await api.try('cards.identify', { read })
      if (mine !== seq.current) return
      const apiMs = Math.round(performance.now() - sent)
      clearSearch()
      // after the card is painted: focusing forces a layout the card should not wait for
      requestAnimationFrame(() => setTimeout(focusField, 0))
      if (!r.ok) {
        void message.error(deskErrorText(t, r.error))
        return
      }
      const v = r.value
      if (v.status === 'unreadable') {
        void message.warning(t('frontDesk.unreadable'))
        return
      }
      if (v.status === 'unknown') {
        setShown(null)
        setRegistered(null)
        setUnknownUid(v.uid)
        return
      }
      // render the card now, not in a later scheduler task: the clerk is waiting for it
      flushSync(() => showCard({ card: v.card, source: 'swipe', status: v.status, partial: false, swipeAt: at, apiMs }))
    },
    [api, message, showCard, t],
  )

  /** A client picked by search (or just registered): their card when they have one, else what the profile says. */
  const openClient = useCallback(
    async (clientId: number, keep?: { registered: Registered | null }) => {
      const mine = ++seq.current
      const [cards, profile, standing] = await Promise.all([
        api.try('cards.list', { clientId }),
        api.try('clients.get', { id: clientId }),
        api.try('club.standing', { clientId }),
      ])
      if (mine !== seq.current) return
      // a colleague's client: the basics only, without their cards and points (the host refuses those)
      const fail = [cards, profile, standing].find((r) => !r.ok && r.error.code !== 'FORBIDDEN')
      if (fail && !fail.ok) {
        void message.error(deskErrorText(t, fail.error))
        return
      }
      if (!profile.ok) return void message.error(deskErrorText(t, profile.error))
      const held = cards.ok ? cards.value.cards : []
      const card = held.find((c) => c.status === 'active') ?? held[0]
      if (card) {
        const r = await api.try('cards.identify', { read: { uid: card.uid }, log: false })
        if (mine !== seq.current) return
        if (r.ok && r.value.status !== 'unknown' && r.value.status !== 'unreadable') {
          showCard({ card: r.value.card, source: 'search', status: r.value.status, partial: false, swipeAt: null })
          if (keep) setRegistered(keep.registered)
          return
        }
      }
      const p = profile.value
      showCard({
        card: {
          clientId: p.id,
          code: p.code,
          name: p.name,
          kind: p.kind,
          tier: p.tier,
          stage: p.stage,
          phone: p.phone,
          owner: p.owner,
          protectedUntil: p.protectedUntil,
          blacklisted: p.blacklisted,
          blacklistReason: p.blacklistReason,
          entrustedOther: p.entrustedOther,
          entrustedAgencies: p.entrustedAgencies,
          club: standing.ok ? standing.value : null,
          lastViewings: [],
          openTasks: [],
          card: null,
          lastVisitAt: null,
        },
        source: 'search',
        status: 'known',
        partial: true,
        swipeAt: null,
      })
      if (keep) setRegistered(keep.registered)
    },
    [api, message, showCard, t],
  )

  /** Reloads the shown client after a card action, keeping how it was found (unless another card was shown since). */
  const refresh = useCallback(async () => {
    if (!shown) return
    const uid = shown.card.card?.uid
    if (!uid) return openClient(shown.card.clientId, { registered })
    const mine = ++seq.current
    const r = await api.try('cards.identify', { read: { uid }, log: false })
    if (mine !== seq.current) return
    if (r.ok && r.value.status !== 'unknown' && r.value.status !== 'unreadable') {
      setShown({ ...shown, card: r.value.card, status: r.value.status, swipeAt: null })
    } else {
      await openClient(shown.card.clientId, { registered })
    }
  }, [api, openClient, registered, shown])

  const register = useCallback(async () => {
    if (!shown || registered || registering) return
    const c = shown.card
    const byCard = shown.source === 'swipe' && shown.status === 'known' && c.card?.status === 'active'
    setRegistering(true)
    const r = await api.try('frontdesk.registerVisit', {
      clientId: c.clientId,
      ...(byCard && c.card ? { cardId: c.card.id } : {}),
      ...(visitCampaign !== null ? { campaignId: visitCampaign } : {}),
    })
    setRegistering(false)
    if (!r.ok) {
      void message.error(deskErrorText(t, r.error))
      return
    }
    const ownerName = r.value.ownerNotified && c.owner ? c.owner.name : null
    setRegistered({ ownerName, protectedUntil: r.value.protectedUntil, at: new Date().toISOString() })
    setShown((s) => (s && s.card.clientId === c.clientId ? { ...s, card: { ...s.card, protectedUntil: r.value.protectedUntil } } : s))
    void message.success(ownerName ? t('frontDesk.visit.notified', { owner: ownerName }) : t('frontDesk.visit.registeredNoOwner'))
  }, [api, message, registered, registering, shown, t, visitCampaign])

  // swipes from any reader, anywhere on the page (a dialog waiting for a card takes them first)
  useCardSwipes({
    onSwipe: (read, at) => {
      if (dialogOpen) void message.info(t('frontDesk.closeDialogFirst'))
      else void identify(read, at)
    },
    onTyped: (text) => {
      const el = field.current?.input
      if (!el) return
      el.focus()
      el.setSelectionRange(el.value.length, el.value.length)
      typeInto(el, text)
    },
    onRejected: () => void message.warning(t('frontDesk.reader.rejected')),
  })

  useEffect(() => {
    if (!dialogOpen) focusField()
  }, [dialogOpen])

  // measure swipe-to-paint: from the swipe to the frame that shows the card
  useLayoutEffect(() => {
    const at = shown?.swipeAt
    if (at === null || at === undefined) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        const ms = Math.round(performance.now() - at)
        cardEl.current?.setAttribute('data-swipe-ms', String(ms))
        cardEl.current?.setAttribute('data-host-ms', String(shown?.apiMs ?? ''))
        setLastSwipe({ ms, api: shown?.apiMs ?? 0 })
      }, 0)
    })
    return () => {
      cancelAnimationFrame(frame)
      if (timer) clearTimeout(timer)
    }
  }, [shown])

  // new text: an Enter pressed for the old text no longer applies
  useEffect(() => {
    enterPending.current = false
  }, [query])

  /** The walk-in's phone is on file: give that client the card straight away. */
  const issueTo = (clientId: number, uid: string) => {
    void api.try('cards.issue', { clientId, read: { uid } }).then((r) => {
      if (!r.ok) void message.error(deskErrorText(t, r.error))
      else void message.success(t('frontDesk.issue.done'))
      void openClient(clientId)
    })
  }

  const pick = (h: SearchHit) => {
    clearSearch()
    focusField()
    void openClient(h.id)
  }

  const onFieldEnter = () => {
    // the field itself, not state: held-back digits may have gone in during this very keydown
    const q = (field.current?.input?.value ?? query).trim()
    if (!q) {
      void register()
      return
    }
    const hit = searching ? undefined : hits?.[active]
    if (hit) pick(hit)
    // a card number typed by hand (or a reader too slow to count as one), no client matched by name, phone or code
    else if (looksLikeCard(q)) void identify({ text: q, format: typedFormat() }, null)
    // Enter before the results came: open the first one when they do
    else enterPending.current = true
  }

  // page keys: F2 registers the visit, F4 opens 散客登记, Esc clears, Enter on the card registers
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen || e.defaultPrevented) return
      if (e.key === 'F2') {
        e.preventDefault()
        void register()
      } else if (e.key === 'F4') {
        e.preventDefault()
        setWalkIn({ cardUid: null })
      } else if (e.key === 'Escape') {
        if (query) clearSearch()
        else {
          // a lookup still on its way must not bring the card back
          seq.current++
          showCard(null)
        }
        focusField()
      } else if (e.key === 'Enter' && !(e.target instanceof Element && e.target.closest(TEXT_TARGETS))) {
        e.preventDefault()
        void register()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [dialogOpen, query, register, showCard])

  const replaceOrIssue = async (read: CardReadInput): Promise<ApiErrorShape | null> => {
    if (!waiting || !shown) return null
    const r =
      waiting.mode === 'replace'
        ? await api.try('cards.replace', { cardId: waiting.cardId, read })
        : await api.try('cards.issue', { clientId: waiting.clientId, read })
    if (!r.ok) return r.error
    void message.success(t(waiting.mode === 'replace' ? 'frontDesk.actions.replaced' : 'frontDesk.actions.issued', { name: shown.card.name, uid: cardNumberText(r.value.uid) }))
    setWaiting(null)
    const regs = registered
    const mine = ++seq.current
    const fresh = await api.try('cards.identify', { read: { uid: r.value.uid }, log: false })
    if (mine !== seq.current) return null
    if (fresh.ok && fresh.value.status !== 'unknown' && fresh.value.status !== 'unreadable') {
      setShown({ card: fresh.value.card, source: 'search', status: fresh.value.status, partial: false, swipeAt: null })
      setRegistered(regs)
    }
    return null
  }

  const reportLost = () => {
    const c = shown?.card
    if (!c?.card) return
    const cardId = c.card.id
    setConfirming(true)
    modal.confirm({
      title: t('frontDesk.actions.lostTitle', { name: c.name, uid: cardNumberText(c.card.uid) }),
      content: t('frontDesk.actions.lostHint'),
      okText: t('frontDesk.actions.lost'),
      okButtonProps: { danger: true },
      focusTriggerAfterClose: false,
      afterClose: () => setConfirming(false),
      cancelText: t('common.cancel'),
      onCancel: () => setConfirming(false),
      // the confirm stays a dialog until the card is saved as lost and shown so: a swipe meanwhile is refused, not raced
      onOk: async () => {
        const r = await api.try('cards.reportLost', { cardId })
        if (!r.ok) {
          setConfirming(false)
          void message.error(deskErrorText(t, r.error))
          return
        }
        void message.success(t('frontDesk.actions.lostDone', { name: c.name }))
        await refresh()
        setConfirming(false)
      },
    })
  }

  const cardActions = shown && (
    <>
      <Space size={8} wrap>
        <IdcardOutlined />
        {shown.card.card ? (
          <>
            <span>{t('frontDesk.actions.cardNo', { uid: cardNumberText(shown.card.card.uid) })}</span>
            <Tag color={shown.card.card.status === 'active' ? 'green' : 'red'}>{t(`frontDesk.cardStatus.${shown.card.card.status}`)}</Tag>
          </>
        ) : (
          <Typography.Text type="secondary">{t('frontDesk.actions.noCard')}</Typography.Text>
        )}
      </Space>
      <Space size={8} wrap>
        {shown.card.card?.status === 'active' && (
          <Button danger icon={<StopOutlined />} onClick={reportLost}>
            {t('frontDesk.actions.lost')}
          </Button>
        )}
        {shown.card.card && shown.card.card.status !== 'replaced' && (
          <Button icon={<SwapOutlined />} onClick={() => setWaiting({ mode: 'replace', cardId: shown.card.card!.id })}>
            {t('frontDesk.actions.replace')}
          </Button>
        )}
        {(!shown.card.card || shown.card.card.status === 'replaced') && (
          <Button icon={<CreditCardOutlined />} onClick={() => setWaiting({ mode: 'issue', clientId: shown.card.clientId })}>
            {t('frontDesk.actions.issue')}
          </Button>
        )}
        <CampaignPicker value={visitCampaign} onChange={setVisitCampaign} />
        <Button icon={<CustomerServiceOutlined />} onClick={() => setComplaint({ id: shown.card.clientId, name: shown.card.name, code: shown.card.code })} data-testid="desk-complaint">
          {t('tickets.fromDesk')}
        </Button>
        <Button icon={<HistoryOutlined />} onClick={() => setHistory({ id: shown.card.clientId, name: shown.card.name })}>
          {t('frontDesk.actions.history')}
        </Button>
        <Button type="link" href={`#/clients/${shown.card.clientId}`} data-testid="profile-link">
          {t('frontDesk.actions.profile')}
        </Button>
      </Space>
    </>
  )

  return (
    <div className="desk-page">
      <div className="desk-top">
        <div className="desk-search">
          <Input
            ref={field}
            size="large"
            className="desk-field"
            prefix={<SearchOutlined />}
            placeholder={t('frontDesk.placeholder')}
            aria-label={t('frontDesk.fieldLabel')}
            role="combobox"
            aria-expanded={hits !== null}
            aria-controls="desk-results"
            aria-activedescendant={hits?.length ? `desk-hit-${active}` : undefined}
            value={query}
            allowClear
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && hits?.length) {
                e.preventDefault()
                setActive((i) => (i + 1) % hits.length)
              } else if (e.key === 'ArrowUp' && hits?.length) {
                e.preventDefault()
                setActive((i) => (i - 1 + hits.length) % hits.length)
              } else if (e.key === 'Enter') {
                e.preventDefault()
                e.stopPropagation()
                onFieldEnter()
              }
            }}
            {...{ [SWIPE_FIELD_ATTR]: '' }}
            data-testid="desk-field"
          />
          <SearchResults query={query.trim()} hits={hits} searching={searching} active={active} onPick={pick} onHover={setActive} />
        </div>
        <Space size={16}>
          <ReaderStatusLight lastSwipe={lastSwipe} />
          <Button size="large" icon={<UserAddOutlined />} onClick={() => setWalkIn({ cardUid: null })} data-testid="walk-in-button">
            {t('frontDesk.walkInButton')}
          </Button>
        </Space>
      </div>
      <Typography.Text type="secondary" className="desk-keys">
        {t('frontDesk.keys')}
      </Typography.Text>

      {unknownUid && (
        <section className="desk-unknown" data-testid="unknown-card" aria-live="assertive">
          <CreditCardOutlined className="desk-unknown-icon" />
          <div className="desk-unknown-body">
            <h2>{t('frontDesk.unknown.title')}</h2>
            <Typography.Paragraph>{t('frontDesk.unknown.hint', { uid: cardNumberText(unknownUid) })}</Typography.Paragraph>
            <Space wrap>
              <Button type="primary" size="large" autoFocus icon={<UserAddOutlined />} onClick={() => setWalkIn({ cardUid: unknownUid })}>
                {t('frontDesk.unknown.toNew')}
              </Button>
              <Button size="large" icon={<SearchOutlined />} onClick={() => setIssueUid(unknownUid)}>
                {t('frontDesk.unknown.toExisting')}
              </Button>
              <Button size="large" type="text" onClick={() => setUnknownUid(null)}>
                {t('frontDesk.unknown.ignore')}
              </Button>
            </Space>
          </div>
        </section>
      )}

      {shown && (
        <DeskCardView
          ref={cardEl}
          shown={shown}
          registered={registered}
          registering={registering}
          onRegister={() => void register()}
          actions={cardActions}
        />
      )}

      {!shown && !unknownUid && (
        <div className="desk-idle" data-testid="desk-idle">
          <IdcardOutlined className="desk-idle-icon" />
          <div>{t('frontDesk.idle')}</div>
        </div>
      )}

      <WalkInModal
        open={walkIn !== null}
        cardUid={walkIn?.cardUid ?? null}
        onClose={() => {
          setWalkIn(null)
          focusField()
        }}
        onDone={(clientId, card) => {
          setWalkIn(null)
          if (card === 'notIssued') void message.warning(t('frontDesk.walkIn.doneWithoutCard'))
          else void message.success(card === 'issued' ? t('frontDesk.walkIn.doneWithCard') : t('frontDesk.walkIn.done'))
          void openClient(clientId)
        }}
        onUseExisting={(clientId) => {
          const uid = walkIn?.cardUid ?? null
          setWalkIn(null)
          if (uid) issueTo(clientId, uid)
          else void openClient(clientId)
        }}
      />
      <IssueExistingModal
        cardUid={issueUid}
        onClose={() => setIssueUid(null)}
        onDone={(clientId) => {
          setIssueUid(null)
          void message.success(t('frontDesk.issue.done'))
          void openClient(clientId)
        }}
      />
      <SwipeCardModal
        open={waiting !== null}
        title={waiting?.mode === 'replace' ? t('frontDesk.actions.replaceTitle', { name: shown?.card.name ?? '' }) : t('frontDesk.actions.issueTitle', { name: shown?.card.name ?? '' })}
        hint={waiting?.mode === 'replace' ? t('frontDesk.actions.replaceHint') : t('frontDesk.actions.issueHint')}
        onRead={replaceOrIssue}
        onClose={() => setWaiting(null)}
      />
      <CardHistoryModal client={history} onClose={() => setHistory(null)} />
      <TicketIntakeModal
        open={complaint !== null}
        client={complaint}
        channel="desk"
        onClose={() => {
          setComplaint(null)
          focusField()
        }}
        onCreated={() => undefined}
      />
    </div>
  )
}
