import { useEffect, useRef, useState } from 'react'
import { useApi } from '../../api/session-context'
import { clientSearchQuery, IDLE_SEARCH, searchAnswered, searchTyped, type ClientSearchState } from './client-search-state'

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
