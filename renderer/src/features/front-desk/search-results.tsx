import { Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { SearchHit } from '@shared/contract/clients'
import { isPartialNumber } from '../clients/client-format'
import { looksLikeCard, protectionText } from './desk-format'

interface Props {
  /** what the clerk typed, trimmed */
  query: string
  hits: SearchHit[] | null
  searching: boolean
  active: number
  onPick(hit: SearchHit): void
  onHover(index: number): void
}

/** The results under the big field on 前台: ↑↓ to choose, Enter or a click to open. */
export function SearchResults({ query, hits, searching, active, onPick, onHover }: Props) {
  const { t } = useTranslation()
  if (hits === null) return null
  return (
    <div className="desk-results" role="listbox" id="desk-results" aria-label={t('frontDesk.search.results')} data-testid="desk-results">
      {hits.length === 0 ? (
        <div className="desk-results-empty">
          {searching
            ? t('frontDesk.search.searching')
            : looksLikeCard(query)
              ? t('frontDesk.search.cardHint', { q: query })
              : t(isPartialNumber(query) ? 'frontDesk.search.noneDigits' : 'frontDesk.search.none')}
        </div>
      ) : (
        hits.map((h, i) => {
          const p = protectionText(t, h.protectedUntil, h.owner !== null)
          return (
            <div
              key={h.id}
              id={`desk-hit-${i}`}
              role="option"
              aria-selected={i === active}
              className={`desk-hit${i === active ? ' desk-hit-active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault()
                onPick(h)
              }}
              onMouseEnter={() => onHover(i)}
              data-testid="desk-hit"
            >
              <strong className="desk-hit-name">{h.name}</strong>
              <Typography.Text type="secondary">{h.code}</Typography.Text>
              {/* a whole number of someone else's client: on file, whose, no digits */}
              <Typography.Text type="secondary">{h.phone ?? (h.matchedOn === 'phone' ? t('frontDesk.search.numberOnFile') : '')}</Typography.Text>
              <Tag>{t(`clients.enums.tier.${h.tier}`)}</Tag>
              <span>{h.owner ? t('frontDesk.search.owner', { name: h.owner.name }) : t('frontDesk.card.noOwner')}</span>
              <span className={`desk-tone-${p.tone}`}>{p.text}</span>
              {h.blacklisted && <Tag color="red">{t('frontDesk.card.blacklistTag')}</Tag>}
              <Typography.Text type="secondary" className="desk-hit-match">
                {t('frontDesk.search.matchedOn', { what: t(`frontDesk.search.matched.${h.matchedOn}`) })}
              </Typography.Text>
            </div>
          )
        })
      )}
      {hits.length > 0 && <div className="desk-results-hint">{t('frontDesk.search.hint')}</div>}
    </div>
  )
}
