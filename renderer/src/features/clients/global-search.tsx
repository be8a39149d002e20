import { SearchOutlined, WarningFilled } from '@ant-design/icons'
import { AutoComplete, Input, Spin, Tag, Typography } from 'antd'
import type { InputRef } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SearchHit } from '@shared/contract/clients'
import { navigate } from '../../app/use-hash-route'
import { SWIPE_FIELD_ATTR } from '../front-desk/card-swipes'
import { clientErrorText } from './client-errors'
import { isPartialNumber, tierColor } from './client-format'
import { useClientSearch } from './use-client-search'
import { openListWithSearch } from './use-list-search'

/** The option after the hits that opens the client list filtered by the same text. */
const SHOW_ALL = 'show-all'

/** Whether a key press is typing into some field (then `/` is a character, not the shortcut). */
function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

function HitLabel({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation()
  return (
    <div className="client-search-hit" data-testid="search-hit">
      <div className="client-search-hit-line">
        <span className={hit.blacklisted ? 'client-name client-search-name client-name-black' : 'client-name client-search-name'} title={hit.name}>
          {hit.name}
        </span>
        <Typography.Text type="secondary" className="client-search-code">
          {hit.code}
        </Typography.Text>
        {hit.phone && <span className="client-search-phone">{hit.phone}</span>}
        {/* a whole number typed for a client the viewer may not see in full: on file, whose, no digits */}
        {!hit.phone && hit.matchedOn === 'phone' && <span className="client-search-phone">{t('clients.search.numberOnFile')}</span>}
        <Tag color={tierColor(hit.tier)} className="client-cell-tag">
          {t(`clients.enums.tier.${hit.tier}`)}
        </Tag>
        <span className="client-search-owner">{hit.owner ? hit.owner.name : t('clients.search.noOwner')}</span>
        <Tag className="client-cell-tag client-search-matched">{t('clients.search.matched', { what: t(`clients.search.matchedOn.${hit.matchedOn}`) })}</Tag>
      </div>
      {hit.blacklisted && (
        <div className="client-search-black" role="alert">
          <WarningFilled /> {t('clients.search.blacklist', { reason: hit.blacklistReason ?? '' })}
        </div>
      )}
    </div>
  )
}

/**
 * The header's client search (Ctrl+K or / focuses it): clients.search as you type, results
 * with owner, tier, blacklist warning and what matched; arrows move, Enter opens the profile.
 * The last option, "在客户列表中查看全部 (N)", opens the client list filtered by the same text.
 */
export function GlobalClientSearch() {
  const { t, i18n } = useTranslation()
  const [q, setQ] = useState('')
  const [open, setOpen] = useState(false)
  const input = useRef<InputRef>(null)
  // Enter pressed before the answer came: open the first hit as soon as it arrives
  const enterPending = useRef(false)
  const search = useClientSearch(q, {
    limit: 12,
    onAnswer: (s) => {
      const first = s.hits[0]
      if (enterPending.current && s.status === 'done' && first) openClient(first.id)
      enterPending.current = false
    },
  })
  const state = search.status
  const hits = state === 'failed' ? [] : search.hits

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const ctrlK = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k'
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInField(e.target)
      if (!ctrlK && !slash) return
      e.preventDefault()
      input.current?.focus()
      input.current?.select()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // new text: an Enter pressed for the old text no longer applies
  useEffect(() => {
    enterPending.current = false
  }, [q])

  function openClient(id: number) {
    setQ('')
    setOpen(false)
    input.current?.blur()
    navigate(`/clients/${id}`)
  }

  function showAll() {
    const text = q.trim()
    setQ('')
    setOpen(false)
    input.current?.blur()
    openListWithSearch(text)
  }

  const count = search.total.toLocaleString(i18n.language === 'en' ? 'en-US' : 'zh-CN')
  const showAllOption =
    state === 'done' && hits.length > 0
      ? [
          {
            value: SHOW_ALL,
            // stays at the foot of the list while the hits scroll (clients.css)
            className: 'client-search-show-all-option',
            label: (
              <span className="client-search-show-all" data-testid="search-show-all">
                {t(search.totalExact ? 'clients.search.showAll' : 'clients.search.showAllMore', { n: count })}
              </span>
            ),
          },
        ]
      : []

  const empty =
    state === 'searching' ? (
      <span className="client-search-empty">
        <Spin size="small" /> {t('clients.search.searching')}
      </span>
    ) : state === 'failed' ? (
      <span className="client-search-empty">{t('clients.search.failed', { text: search.error ? clientErrorText(t, search.error) : '' })}</span>
    ) : state === 'done' ? (
      <span className="client-search-empty">{t(isPartialNumber(q) ? 'clients.search.noneDigits' : 'clients.search.none')}</span>
    ) : null

  return (
    <AutoComplete
      className="client-search"
      classNames={{ popup: { root: 'client-search-popup' } }}
      value={q}
      open={open && q.trim() !== ''}
      onOpenChange={setOpen}
      onSearch={(v) => {
        setQ(v)
        setOpen(true)
      }}
      onSelect={(id: string) => (id === SHOW_ALL ? showAll() : openClient(Number(id)))}
      // results of the previous text stay visible but cannot be picked until the new ones arrive
      options={[...hits.map((h) => ({ value: String(h.id), label: <HitLabel hit={h} />, disabled: state === 'searching' })), ...showAllOption]}
      notFoundContent={empty}
      filterOption={false}
      // a dozen hits and 查看全部: all in the page, so the last option is there to scroll or arrow to
      virtual={false}
      defaultActiveFirstOption
      popupMatchSelectWidth={620}
      backfill={false}
    >
      <Input
        ref={input}
        aria-label={t('clients.search.label')}
        placeholder={t('clients.search.placeholder')}
        prefix={<SearchOutlined />}
        suffix={<span className="client-search-key">{t('clients.search.shortcut')}</span>}
        maxLength={40}
        allowClear
        data-testid="global-search"
        // a card swiped while the search has focus is still a swipe (the app frame opens it), typed digits still land here
        {...{ [SWIPE_FIELD_ATTR]: '' }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && state === 'searching') enterPending.current = true
          if (e.key === 'Escape') {
            setOpen(false)
            input.current?.blur()
          }
        }}
      />
    </AutoComplete>
  )
}
