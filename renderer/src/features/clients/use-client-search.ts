import { useEffect, useRef, useState } from 'react'
import type { SearchHit } from '@shared/contract/clients'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { useApi } from '../../api/session-context'

/** The longest text clients.search takes (longer text is cut rather than refused). */
export const CLIENT_SEARCH_MAX = 40

/** Where a search-as-you-type stands: nothing typed, waiting for the answer to the latest text, answered, or failed. */
export interface ClientSearchState {
  status: 'idle' | 'searching' | 'done' | 'failed'
  /** the hits of the last answer: kept while the next text is on its way and after a failure, [] when idle */
  hits: SearchHit[]
  /** why the latest search failed (status 'failed'), else null */
  error: ApiErrorShape | null
}

export const IDLE_SEARCH: ClientSearchState = { status: 'idle', hits: [], error: null }

/** The text clients.search is asked about for what was typed: trimmed and cut to the length the host takes; '' asks nothing. */
export function clientSearchQuery(typed: string): string {
  return typed.trim().slice(0, CLIENT_SEARCH_MAX)
}

/** The state after new text was typed: idle for no text, else searching with the last hits still shown. */
export function searchTyped(prev: ClientSearchState, query: string): ClientSearchState {
  return query === '' ? IDLE_SEARCH : { ...prev, status: 'searching', error: null }
}

/** The state after the host answered the latest text. */
export function searchAnswered(prev: ClientSearchState, r: Result<{ hits: SearchHit[] }>): ClientSearchState {
  return r.ok ? { status: 'done', hits: r.value.hits, error: null } : { ...prev, status: 'failed', error: r.error }
}

interface Options {
  /** how many hits to ask for (clients.search allows 1–50) */
  limit: number
  /** how long typing must pause before the host is asked */
  delayMs?: number
  /** hears each answer to the latest text (not a late answer to older text), e.g. to open the first hit on a pending Enter */
  onAnswer?(state: ClientSearchState): void
}

/**
 * Client search-as-you-type (clients.search: name, pinyin, phone digits, 客户编号, card): asks a
 * moment after typing pauses, and drops answers to text that has changed since (a slow answer
 * to "zh" never replaces the one for "zhang").
 */
export function useClientSearch(typed: string, { limit, delayMs = 150, onAnswer }: Options): ClientSearchState {
  const api = useApi()
  const [state, setState] = useState<ClientSearchState>(IDLE_SEARCH)
  // the state as last set, for the answer handler (which runs outside render)
  const latest = useRef(state)
  const asked = useRef(0)
  const hear = useRef(onAnswer)
  hear.current = onAnswer
  const query = clientSearchQuery(typed)

  useEffect(() => {
    const ticket = ++asked.current
    const set = (next: ClientSearchState) => {
      latest.current = next
      setState(next)
    }
    set(searchTyped(latest.current, query))
    if (query === '') return
    const timer = setTimeout(() => {
      void api.try('clients.search', { q: query, limit }).then((r) => {
        if (ticket !== asked.current) return
        const next = searchAnswered(latest.current, r)
        set(next)
        hear.current?.(next)
      })
    }, delayMs)
    return () => {
      clearTimeout(timer)
      // newer text, or the component is gone: a late answer to this text is dropped
      asked.current++
    }
  }, [api, query, limit, delayMs])

  return state
}
