import { useEffect, useRef, useState } from 'react'
import type { z } from 'zod'
import type { DuplicateMatch } from '../../../../shared/contract/clients'
import type { ApiErrorShape } from '../../../../shared/contract/common'
import { useApi } from '../../api/session-context'

export type Duplicate = z.infer<typeof DuplicateMatch>

export interface DuplicateState {
  matches: Duplicate[]
  /** indexes of numbers the host cannot read as a phone. */
  invalid: number[]
  checking: boolean
  /** why the check could not run (too many phone lookups: RATE_LIMITED with the seconds to wait). */
  error: ApiErrorShape | null
}

const EMPTY: DuplicateState = { matches: [], invalid: [], checking: false, error: null }

/**
 * 防撞单 while typing: asks clients.checkDuplicate who already has these numbers (or this
 * organisation name) a moment after the last keystroke; late answers to older input are dropped.
 */
export function useDuplicateCheck(phones: string[], orgName: string | undefined, enabled: boolean): DuplicateState {
  const api = useApi()
  const [state, setState] = useState<DuplicateState>(EMPTY)
  const asked = useRef(0)
  const key = JSON.stringify([phones.map((p) => p.trim()), orgName?.trim() ?? ''])

  useEffect(() => {
    const [numbers, org] = JSON.parse(key) as [string[], string]
    const worth = numbers.some((n) => n.replace(/\D/g, '').length >= 4) || org.length >= 2
    if (!enabled || !worth) {
      asked.current++
      setState(EMPTY)
      return
    }
    setState((s) => ({ ...s, checking: true }))
    const ticket = ++asked.current
    const timer = setTimeout(() => {
      void api.try('clients.checkDuplicate', { phones: numbers, ...(org ? { orgName: org } : {}) }).then((r) => {
        if (ticket !== asked.current) return
        setState(r.ok ? { matches: r.value.matches, invalid: r.value.invalidPhones, checking: false, error: null } : { ...EMPTY, error: r.error })
      })
    }, 300)
    return () => clearTimeout(timer)
  }, [api, key, enabled])

  return state
}
