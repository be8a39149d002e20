import { useCallback, useEffect, useState } from 'react'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { useReconnected } from '../../api/connection'
import { useApi } from '../../api/session-context'

export type EventView = OutputOf<'subscription.event'>
export type LobbyView = OutputOf<'subscription.lobby'>

/**
 * How often an open console or lobby display asks the host anyway: the host pushes
 * `subscription.changed` after every write, so this only covers a push lost on the way (the
 * countdown ticks locally between, and its end is read when it comes).
 */
const FALLBACK_POLL_MS = 30_000

/**
 * The event as `method` shows it: read on a `subscription.changed` push for this event, when the
 * countdown runs out on this PC, after a reconnect, every FALLBACK_POLL_MS and on `reload()`;
 * `until` is when the current group's time runs out on this PC's clock, from the host's own count
 * of what is left.
 */
export function useEventPoll<M extends 'subscription.event' | 'subscription.lobby'>(method: M, eventId: number | null) {
  const api = useApi()
  const [data, setData] = useState<OutputOf<M> | null>(null)
  const [until, setUntil] = useState<number | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const reload = useCallback(async () => {
    if (eventId === null) return
    const r = await api.try(method, { eventId } as never)
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    const value = r.value as OutputOf<M>
    setData(value)
    setUntil(value.event.deadline === null ? null : Date.now() + value.event.msLeft)
  }, [api, method, eventId])
  useEffect(() => {
    void reload()
    const id = window.setInterval(() => void reload(), FALLBACK_POLL_MS)
    const off = api.on('subscription.changed', (e) => {
      if (e.eventId === eventId) void reload()
    })
    return () => {
      window.clearInterval(id)
      off()
    }
  }, [api, eventId, reload])
  // the countdown ran out: the host has called the next group (or ended the day) by its clock
  useEffect(() => {
    if (until === null) return
    const id = window.setTimeout(() => void reload(), Math.max(0, until - Date.now()) + 250)
    return () => window.clearTimeout(id)
  }, [until, reload])
  useReconnected(() => void reload())
  return { data, until, problem, reload }
}

/** mm:ss of whole seconds. */
export function clockText(seconds: number): string {
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`
}
