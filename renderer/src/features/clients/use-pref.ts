import { useCallback, useEffect, useState } from 'react'
import { useApi } from '../../api/session-context'

/**
 * One per-user preference (prefs.get/set), e.g. the grid's columns: `read` turns the stored
 * JSON into a value (or the default when it is missing or from an older shape).
 */
export function usePref<T>(
  key: string,
  read: (stored: unknown) => T,
  write: (v: T) => unknown = (v) => v,
): { value: T; loaded: boolean; save(v: T): Promise<boolean> } {
  const api = useApi()
  const [value, setValue] = useState<T>(() => read(null))
  const [loaded, setLoaded] = useState(false)
  // the parser is pure: only the key decides what to load
  const [codec] = useState(() => ({ read, write }))

  useEffect(() => {
    let live = true
    void api.try('prefs.get', { key }).then((r) => {
      if (!live) return
      if (r.ok) setValue(codec.read(r.value.value))
      setLoaded(true)
    })
    return () => {
      live = false
    }
  }, [api, key, codec])

  const save = useCallback(
    async (v: T) => {
      setValue(v)
      const r = await api.try('prefs.set', { key, value: codec.write(v) })
      return r.ok
    },
    [api, key, codec],
  )

  return { value, loaded, save }
}
