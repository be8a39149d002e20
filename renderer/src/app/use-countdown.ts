import { useEffect, useState } from 'react'

/** Whole seconds left until `until` (ms since the epoch), ticking live; 0 once it has passed or when null. */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until === null) return
    setNow(Date.now())
    // a quarter second keeps the shown number from skipping one when a tick runs late
    const id = window.setInterval(() => {
      const t = Date.now()
      setNow(t)
      if (t >= until) window.clearInterval(id)
    }, 250)
    return () => window.clearInterval(id)
  }, [until])
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000))
}
