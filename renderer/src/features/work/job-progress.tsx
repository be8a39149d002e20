import { Alert, Progress, Typography } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { JobView } from '@shared/contract/jobs'
import { useApi } from '../../api/session-context'
import { jobAnswered, startWatch, type JobWatch } from './job-watch'

/** How often a running job is asked how far it is. */
const POLL_MS = 500

/**
 * Follows a long job the host works in slices (jobs.get, twice a second): `onFinished` gets the
 * finished job, `onFailed` a failed one (null) or the error that stopped the asking. A host that is
 * away or busy does not stop the watch: the job resumes when the host is back, and so does the bar.
 */
export function useJob(jobId: number | null, onFinished: (job: JobView) => void, onFailed: (error: ApiErrorShape | null) => void): JobWatch {
  const api = useApi()
  const [watch, setWatch] = useState<JobWatch>(() => startWatch(Date.now()))
  // the latest callbacks, without restarting the watch when the caller renders again
  const done = useRef({ onFinished, onFailed })
  done.current = { onFinished, onFailed }
  useEffect(() => {
    if (jobId === null) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let w = startWatch(Date.now())
    const ask = async () => {
      const r = await api.try('jobs.get', { id: jobId })
      if (stopped) return
      const { watch: next, next: then } = jobAnswered(w, r, Date.now())
      if (!r.ok && then === 'lost') return done.current.onFailed(r.error)
      w = next
      setWatch(next)
      if (r.ok && then === 'finished') return done.current.onFinished(r.value)
      if (then === 'failed') return done.current.onFailed(null)
      timer = setTimeout(() => void ask(), POLL_MS)
    }
    void ask()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [api, jobId])
  return watch
}

/** What the counted items of a job kind are called in its progress line. */
const PROGRESS_TEXT: Record<string, 'work.job.progressDepart' | 'work.job.progressPass'> = {
  'staff.depart': 'work.job.progressDepart',
  'rules.pass': 'work.job.progressPass',
}

/**
 * A running job's progress: the bar, done of total in words, and a warning when the host is away or
 * the job has not moved. `kind` and `total` say what to show before the host's first answer.
 */
export function JobProgressBar({ watch, kind, total: known }: { watch: JobWatch; kind: string; total?: number }) {
  const { t, i18n } = useTranslation()
  const { job, offline, stalledSeconds } = watch
  const number = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-US' : 'zh-CN')
  const done = job?.done ?? 0
  const total = job?.total ?? known ?? null
  const percent = total ? Math.min(100, Math.floor((done * 100) / total)) : 0
  const words = total === null ? t('work.job.working') : t(PROGRESS_TEXT[kind] ?? 'work.job.progress', { done: number(Math.min(done, total)), total: number(total) })
  return (
    <div role="status" aria-live="polite" data-testid="job-progress">
      <Progress percent={percent} status={job?.status === 'done' ? 'success' : offline || stalledSeconds !== null ? 'normal' : 'active'} />
      <Typography.Text type="secondary" data-testid="job-progress-text">
        {words}
      </Typography.Text>
      {offline ? (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} message={t('work.job.offline')} data-testid="job-warning" />
      ) : (
        stalledSeconds !== null && <Alert type="warning" showIcon style={{ marginTop: 8 }} message={t('work.job.stalled', { seconds: stalledSeconds })} data-testid="job-warning" />
      )}
    </div>
  )
}
