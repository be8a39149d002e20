import { DownloadOutlined, UploadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Space, Table, Typography } from 'antd'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { isTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'
import { useApi } from '../../api/session-context'
import { boardErrorText } from './format'
import type { HostText } from '@shared/contract/host-text'
import { hostText } from '../../i18n/host-text'
import { Dialog } from '../../app/dialog'
import { fileToBase64, saveBase64File } from '../../app/files'

type RowError = OutputOf<'units.import'>['errors'][number]

/** 导入房源: template download, .xlsx upload, and the per-row error report when anything fails. */
export function ImportModal({ projectId, onClose, onImported }: { projectId: number; onClose(): void; onImported(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [rows, setRows] = useState<RowError[] | null>(null)

  const template = async () => {
    const r = await api.try('units.template', {})
    if (!r.ok) return setError(boardErrorText(t, r.error))
    saveBase64File(r.value.fileBase64, r.value.fileName)
  }

  const upload = async (file: File) => {
    setBusy(true)
    setError(null)
    setRows(null)
    try {
      const r = await api.try('units.import', { projectId, fileBase64: await fileToBase64(file) })
      if (!r.ok) return setError(boardErrorText(t, r.error))
      if (r.value.errors.length > 0) {
        setError(t('board.import.failed', { count: r.value.errors.length }))
        setRows(r.value.errors)
        return
      }
      void message.success(t('board.import.imported', { count: r.value.imported }))
      onImported()
      onClose()
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }

  return (
    <Dialog open title={t('board.import.title')} onCancel={onClose} footer={null} width={720}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('board.import.hint')}</Typography.Paragraph>
        <Space>
          <Button icon={<DownloadOutlined />} onClick={() => void template()}>
            {t('board.import.template')}
          </Button>
          <Button type="primary" icon={<UploadOutlined />} loading={busy} onClick={() => input.current?.click()} data-dialog-submit>
            {busy ? t('board.import.importing') : t('board.import.pick')}
          </Button>
          <input
            ref={input}
            type="file"
            accept=".xlsx"
            hidden
            data-testid="import-file"
            onChange={(e) => {
              const f = e.target.files?.[0]
              if (f) void upload(f)
            }}
          />
        </Space>
        {error && <Alert type="error" showIcon message={error} data-testid="import-error" />}
        {rows && (
          <Table
            size="small"
            rowKey={(r) => `${r.row}-${r.field}-${r.message.key}`}
            dataSource={rows}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { title: t('board.import.row'), dataIndex: 'row', width: 70 },
              { title: t('board.import.field'), dataIndex: 'field', width: 140, render: (f: string) => (isTextIn(zh.board.import.fields, f) ? t(`board.import.fields.${f}`) : f) },
              { title: t('board.import.message'), dataIndex: 'message', render: (m: HostText) => hostText(t, m) },
            ]}
          />
        )}
      </Space>
    </Dialog>
  )
}
