import type { SearchHit } from '@shared/contract/clients'
import type { ApiErrorShape, Result } from '@shared/contract/common'

/** The longest text clients.search takes (longer text is cut rather than refused). */
const CLIENT_SEARCH_MAX = 40

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
