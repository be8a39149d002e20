import { useEffect, useState } from 'react'
import type { z } from 'zod'
import type { TicketCategory } from '@shared/contract/tickets'
import { useApi } from '../../api/session-context'

export type Category = z.infer<typeof TicketCategory>

/** The taxonomy, read when `active` turns true (a dialog opening, the page showing) and on `reload`. */
export function useTicketCategories(active = true, reload = 0): Category[] {
  const api = useApi()
  const [categories, setCategories] = useState<Category[]>([])
  useEffect(() => {
    if (!active) return
    let live = true
    void api.try('tickets.categories', {}).then((r) => live && r.ok && setCategories(r.value.categories))
    return () => {
      live = false
    }
  }, [api, active, reload])
  return categories
}

/** A category's name in the UI language (Chinese unless English is chosen). */
export function categoryName(c: Pick<Category, 'nameZh' | 'nameEn'>, language: string): string {
  return language.startsWith('en') ? c.nameEn : c.nameZh
}
