import { Progress, Typography } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { JobView } from '@shared/contract/jobs'
import { useApi } from '../../api/session-context'

/** How often a running job is asked how far it is. */
const POLL_MS = 500

/**
 * Follows a long job the host works in slices (jobs.get, twice a second): `onFinished` gets the
 * finished job, `onFailed` a failed one or the error that stopped the asking.
 */
export function useJob(jobId: number | null, onFinished: (job: JobView) => void, onFailed: (error: ApiErrorShape | null) => void): JobView | null {
  const api = useApi()
  const [job, setJob] = useState<JobView | null>(null)
  // the latest callbacks, without restarting the watch when the caller renders again
  const done = useRef({ onFinished, onFailed })
  done.current = { onFinished, onFailed }
  useEffect(() => {
    if (jobId === null) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const ask = async () => {
      const r = await api.try('jobs.get', { id: jobId })
      if (stopped) return
      if (!r.ok) return done.current.onFailed(r.error)
      setJob(r.value)
      if (r.value.status === 'done') return done.current.onFinished(r.value)
      if (r.value.status === 'failed') return done.current.onFailed(null)
      timer = setTimeout(() => void ask(), POLL_MS)
    }
    void ask()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [api, jobId])
  return job
}

/** A running job's progress bar: done of total, and the words for it. */
export function JobProgressBar({ job }: { job: JobView | null }) {
  const { t } = useTranslation()
  const done = job?.done ?? 0
  const total = job?.total ?? null
  const percent = total ? Math.min(100, Math.floor((done * 100) / total)) : 0
  return (
    <div role="status" aria-live="polite">
      <Progress percent={percent} status="active" />
      <Typography.Text type="secondary">{total === null ? t('work.job.working') : t('work.job.progress', { done, total })}</Typography.Text>
    </div>
  )
}
