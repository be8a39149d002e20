import { DownloadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Form, Input, Progress, Typography } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { ExportSettings, ExportStartInput, ExportView } from '@shared/contract/export'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { errorText } from '../../i18n/error-text'

/** What a grid page exports: its grid and the query on screen (the dialog adds the reason and the language). */
export type ExportRequest = ExportStartInput extends infer U ? (U extends unknown ? Omit<U, 'reason' | 'lang'> : never) : never

/** How often the dialog asks how far a long export is. */
const POLL_MS = 500

/** Fetches a finished export's one-time link as a file download. */
function download(view: ExportView): void {
  if (!view.download) return
  const a = document.createElement('a')
  a.href = view.download
  a.download = view.fileName
  document.body.append(a)
  a.click()
  a.remove()
}

/**
 * 导出: the button every grid page shows beside its toolbar (to those who may export). It asks
 * for a reason when the branch requires one, runs the export of exactly `request` (the view,
 * filter and sort on screen), shows its progress, and downloads the file once it is written.
 * `label` names a second button of the same grid (导出 CSV).
 */
export function ExportButton({ request, label }: { request: ExportRequest; label?: string }) {
  const { t } = useTranslation()
  const me = useMe()
  const [open, setOpen] = useState(false)
  if (!mayCall(me.role, 'export.start')) return null
  return (
    <>
      <Button icon={<DownloadOutlined />} onClick={() => setOpen(true)}>
        {label ?? t('exporting.button')}
      </Button>
      {open && <ExportDialog request={request} onClose={() => setOpen(false)} />}
    </>
  )
}

function ExportDialog({ request, onClose }: { request: ExportRequest; onClose(): void }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason?: string }>()
  const [settings, setSettings] = useState<ExportSettings | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [progress, setProgress] = useState<ExportView | null>(null)
  const [busy, setBusy] = useState(false)
  const closed = useRef(false)

  useEffect(() => {
    closed.current = false
    void api.try('export.getSettings', {}).then((r) => {
      if (r.ok) setSettings(r.value)
      else setProblem(r.error)
    })
    return () => {
      closed.current = true
    }
  }, [api])

  /** Waits for a running export, showing how far it is; null when the dialog closed meanwhile or it failed. */
  async function follow(view: ExportView): Promise<ExportView | null> {
    let v = view
    while (v.status === 'running') {
      setProgress(v)
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      if (closed.current) return null
      const r = await api.try('export.status', { id: v.id })
      if (!r.ok) {
        setProblem(r.error)
        return null
      }
      v = r.value
    }
    return v
  }

  async function start(values: { reason?: string }) {
    setBusy(true)
    setProblem(null)
    const reason = values.reason?.trim()
    const r = await api.try('export.start', { ...request, lang: i18n.language === 'en' ? 'en' : 'zh', ...(reason ? { reason } : {}) })
    if (!r.ok) {
      setBusy(false)
      if (r.error.field === 'reason') form.setFields([{ name: 'reason', errors: [errorText(t, r.error)] }])
      else setProblem(r.error)
      return
    }
    const done = await follow(r.value)
    setBusy(false)
    if (!done) return
    if (done.status !== 'done') {
      void message.error(t('exporting.failed'))
      return
    }
    download(done)
    void message.success(t('exporting.done', { n: done.done }))
    onClose()
  }

  return (
    <Dialog
      open
      title={t('exporting.title')}
      okText={t('exporting.start')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: busy, disabled: settings === null }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} layout="vertical" onFinish={(v) => void start(v)} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph>{t('exporting.intro')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('exporting.watermark')} {settings && t('exporting.cap', { cap: settings.rowCap.toLocaleString() })}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={errorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="reason"
        label={t('exporting.reason')}
        extra={settings?.requireReason ? t('exporting.reasonRequired') : undefined}
        rules={settings?.requireReason ? [{ required: true, whitespace: true, message: t('exporting.reasonRequired') }] : []}
      >
        <Input maxLength={200} placeholder={t('exporting.reasonPlaceholder')} />
      </Form.Item>
      {progress && (
        <div role="status">
          <Progress percent={progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0} />
          <Typography.Text type="secondary">{t('exporting.running', { done: progress.done, total: progress.total })}</Typography.Text>
        </div>
      )}
    </Dialog>
  )
}
