import { useEffect, useRef, useState } from 'react'
import type { z } from 'zod'
import type { DuplicateMatch } from '@shared/contract/clients'
import { toHalfWidth } from '@shared/domain/text-kinds'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'

export type Duplicate = z.infer<typeof DuplicateMatch>

interface DuplicateState {
  matches: Duplicate[]
  /** indexes of numbers the host cannot read as a phone. */
  invalid: number[]
  checking: boolean
  /** why the check could not run (too many phone lookups: RATE_LIMITED with the seconds to wait). */
  error: ApiErrorShape | null
}

const EMPTY: DuplicateState = { matches: [], invalid: [], checking: false, error: null }

/** How many digits a typed phone has, full-width ones (１３９…) too. */
export function phoneDigitCount(text: string): number {
  return toHalfWidth(text).replace(/\D/g, '').length
}

/**
 * What clients.checkDuplicate is asked while typing: the numbers as typed (the host reads
 * `(+86)139-…`, `０086…`, dots and extensions the way it stores them), once one has 4 digits
 * or the organisation name 2 characters; null when there is nothing worth asking yet.
 */
export function duplicateQuery(phones: readonly string[], orgName: string | undefined): { phones: string[]; orgName?: string } | null {
  const numbers = phones.map((p) => p.trim())
  const org = orgName?.trim() ?? ''
  if (!numbers.some((n) => phoneDigitCount(n) >= 4) && org.length < 2) return null
  return { phones: numbers, ...(org ? { orgName: org } : {}) }
}

/**
 * 防撞单 while typing: asks clients.checkDuplicate who already has these numbers (or this
 * organisation name) a moment after the last keystroke; late answers to older input are dropped.
 */
export function useDuplicateCheck(phones: string[], orgName: string | undefined, enabled: boolean): DuplicateState {
  const api = useApi()
  const [state, setState] = useState<DuplicateState>(EMPTY)
  const asked = useRef(0)
  const key = JSON.stringify(duplicateQuery(phones, orgName))

  useEffect(() => {
    const query = JSON.parse(key) as ReturnType<typeof duplicateQuery>
    if (!enabled || !query) {
      asked.current++
      setState(EMPTY)
      return
    }
    setState((s) => ({ ...s, checking: true }))
    const ticket = ++asked.current
    const timer = setTimeout(() => {
      void api.try('clients.checkDuplicate', query).then((r) => {
        if (ticket !== asked.current) return
        setState(r.ok ? { matches: r.value.matches, invalid: r.value.invalidPhones, checking: false, error: null } : { ...EMPTY, error: r.error })
      })
    }, 300)
    return () => clearTimeout(timer)
  }, [api, key, enabled])

  return state
}
