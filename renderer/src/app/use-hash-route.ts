import { useSyncExternalStore } from 'react'

function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '')
  const path = hash.split('?')[0] ?? ''
  return path.startsWith('/') ? path : '/'
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The current hash route, e.g. `/staff` for `#/staff`; `/` when there is none. */
export function useHashRoute(): string {
  return useSyncExternalStore(subscribe, currentPath)
}

/** Opens a page by its hash route. */
export function navigate(path: string): void {
  window.location.hash = `#${path}`
}
