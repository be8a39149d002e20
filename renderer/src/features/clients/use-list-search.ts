import { useSyncExternalStore } from 'react'
import { navigate } from '../../app/use-hash-route'

/** The search the client list is opened with: `#/clients?search=…` ("show all in the client list"). */
function currentSearch(): string | null {
  const hash = window.location.hash.replace(/^#/, '')
  const [path, query = ''] = hash.split('?')
  if (path !== '/clients') return null
  return new URLSearchParams(query).get('search')
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The search text in the list's route, or null; it changes as the route does. */
export function useListSearch(): string | null {
  return useSyncExternalStore(subscribe, currentSearch)
}

/** Opens the client list filtered by what a search box holds. */
export function openListWithSearch(q: string): void {
  navigate(`/clients?${new URLSearchParams({ search: q }).toString()}`)
}

/** Back to the plain list route once its search filter is cleared (a later "show all" opens it again). */
export function clearListSearch(): void {
  if (currentSearch() !== null) navigate('/clients')
}
