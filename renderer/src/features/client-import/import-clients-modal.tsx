import { DownloadOutlined, UploadOutlined } from '@ant-design/icons'
import { Alert, Button, Progress, Radio, Select, Space, Table, Tabs, Typography } from 'antd'
import type { TFunction } from 'i18next'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { MAX_CHUNK_BASE64, type ImportRow, type ImportVerdict, type ImportView } from '@shared/contract/imports'
import { AnyImportField, FIELDS_OF_KIND, mappingProblem, type ColumnMapping, type ImportKind } from '@shared/domain/import-columns'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { fileToBase64, saveBase64File } from '../../app/files'
import { errorText } from '../../i18n/error-text'
import { isTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'

const PAGE = 20
/** How often a running import's progress is read. */
const POLL_MS = 500

/** An import refusal in words: the import's own reasons, else the product's error text. */
function failureText(t: TFunction, e: ApiErrorShape): string {
  if (e.reason && isTextIn(zh.clientImport.failures, e.reason)) {
    const field = typeof e.params?.field === 'string' && isTextIn(zh.clientImport.fields, e.params.field) ? t(`clientImport.fields.${e.params.field}`) : e.params?.field
    return t(`clientImport.failures.${e.reason}`, { ...e.params, field })
  }
  return errorText(t, e)
}

/** The template of each kind: its headers and one example row, as UTF-8 CSV (the import reads it back as is). */
const TEMPLATES: Record<ImportKind, { file: string; rows: string[][] }> = {
  clients: {
    file: '客户导入模板.csv',
    rows: [
      ['客户姓名', '手机', '性别', '来源', '意向区域', '预算', '生日', '归属经纪人', '备注'],
      ['张三', '13800000000', '男', '上门', '浦东', '300万', '1985-05-20', '', ''],
    ],
  },
  followUps: {
    file: '跟进记录导入模板.csv',
    rows: [
      ['客户电话', '客户编号', '客户姓名', '跟进时间', '跟进方式', '跟进内容', '跟进人', '下次跟进'],
      ['13800000000', '', '张三', '2025-03-05 14:30', '电话', '约周六看房', '王芳', '2025-03-08'],
    ],
  },
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** Saves the template of `kind` (UTF-8 with a BOM, so Excel opens the Chinese headers right). */
function saveTemplate(kind: ImportKind): void {
  const text = '\ufeff' + TEMPLATES[kind].rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
  const bytes = new TextEncoder().encode(text)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  saveBase64File(btoa(bin), TEMPLATES[kind].file, 'text/csv')
}

function rowReason(t: TFunction, r: ImportRow): string {
  const reason = r.reason && isTextIn(zh.clientImport.reasons, r.reason) ? t(`clientImport.reasons.${r.reason}`, { ...r.params }) : (r.reason ?? '')
  return r.field ? `${t(`clientImport.fields.${r.field}`)}：${reason}` : reason
}

/** The dry run rows of one verdict, paged on the host. */
function VerdictRows({ view, verdict }: { view: ImportView; verdict: ImportVerdict }) {
  const { t } = useTranslation()
  const api = useApi()
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ rows: ImportRow[]; total: number }>({ rows: [], total: 0 })
  useEffect(() => {
    void api.try('imports.rows', { importId: view.id, verdict, offset: (page - 1) * PAGE, limit: PAGE }).then((r) => r.ok && setData(r.value))
  }, [api, view.id, view.counts, view.status, verdict, page])
  return (
    <Table
      size="small"
      rowKey="rowNo"
      dataSource={data.rows}
      data-testid={`import-rows-${verdict}`}
      pagination={{ current: page, pageSize: PAGE, total: data.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: t('clientImport.columns.row'), dataIndex: 'rowNo', width: 70 },
        { title: t('clientImport.columns.name'), dataIndex: 'name', width: 120 },
        { title: t('clientImport.columns.phone'), dataIndex: 'phone', width: 140 },
        ...(view.kind === 'followUps' && verdict !== 'refuse'
          ? [{ title: t('clientImport.columns.client'), key: 'client', width: 180, render: (_: unknown, r: ImportRow) => (r.existing ? `${r.existing.code} ${r.existing.name}` : '') }]
          : []),
        verdict === 'merge'
          ? { title: t('clientImport.columns.existing'), key: 'existing', render: (_: unknown, r: ImportRow) => (r.existing ? `${r.existing.code} ${r.existing.name}（${r.existing.ownerName ?? '—'}）` : '') }
          : { title: t('clientImport.columns.reason'), key: 'reason', render: (_: unknown, r: ImportRow) => rowReason(t, r) },
      ]}
    />
  )
}

/** 导入客户: upload a branch's xlsx or CSV, see the dry run, fix the mapping, import with progress and cancel, download the refused rows. */
export function ImportClientsModal({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [view, setView] = useState<ImportView | null>(null)
  const [mapping, setMapping] = useState<ColumnMapping>({})
  const [chosenKind, setChosenKind] = useState<ImportKind>('clients')
  // an import in hand keeps its own kind; the choice is for the next file
  const kind = view?.kind ?? chosenKind

  const showView = useCallback((v: ImportView) => {
    setView(v)
    setMapping(v.mapping)
  }, [])

  const check = async (importId: number, given?: ColumnMapping) => {
    setBusy(t('clientImport.checking'))
    const r = await api.try('imports.check', { importId, ...(given ? { mapping: given } : {}) })
    setBusy(null)
    if (!r.ok) return setError(failureText(t, r.error))
    showView(r.value)
  }

  const upload = async (file: File) => {
    setError(null)
    setView(null)
    try {
      const b64 = await fileToBase64(file)
      let importId: number | undefined
      for (let i = 0; i < b64.length || i === 0; i += MAX_CHUNK_BASE64) {
        setBusy(t('clientImport.uploading', { percent: Math.round((i / Math.max(b64.length, 1)) * 100) }))
        const r = await api.try('imports.upload', { ...(importId ? { importId } : { kind: chosenKind }), fileName: file.name.slice(0, 200), chunkBase64: b64.slice(i, i + MAX_CHUNK_BASE64), last: i + MAX_CHUNK_BASE64 >= b64.length })
        if (!r.ok) {
          setBusy(null)
          return setError(failureText(t, r.error))
        }
        importId = r.value.importId
      }
      if (importId !== undefined) await check(importId)
    } finally {
      if (input.current) input.current.value = ''
    }
  }

  // a running dry run's or import's progress, read until it ends (a dry run that stopped on the file says why)
  const checking = view?.status === 'checking'
  const running = view?.status === 'importing' || checking
  useEffect(() => {
    if (!running || !view) return
    const timer = setInterval(() => {
      void api.try('imports.get', { importId: view.id }).then((r) => {
        if (!r.ok) return
        showView(r.value)
        if (r.value.checkError) setError(failureText(t, r.value.checkError))
        if (r.value.status === 'done') onImported()
      })
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [api, running, view, showView, onImported, t])

  const act = async (method: 'imports.start' | 'imports.cancel') => {
    if (!view) return
    const r = await api.try(method, { importId: view.id })
    if (!r.ok) return setError(failureText(t, r.error))
    showView(r.value)
  }

  const errors = async () => {
    if (!view) return
    const r = await api.try('imports.errors', { importId: view.id })
    if (!r.ok) return setError(failureText(t, r.error))
    saveBase64File(r.value.fileBase64, r.value.fileName)
  }

  const counts = view?.counts
  const fieldOptions = [{ value: '', label: t('clientImport.notImported') }, ...FIELDS_OF_KIND[kind].map((f) => ({ value: f, label: t(`clientImport.fields.${f}`) }))]
  const done = view?.progress?.done ?? 0
  // a file whose headers name no name or phone column: the mapping opens with what is missing
  const problem = view?.status === 'checked' ? mappingProblem(view.mapping, view.kind) : null
  const followUps = kind === 'followUps'

  return (
    <Dialog open title={t(followUps ? 'clientImport.titleFollowUps' : 'clientImport.title')} onCancel={onClose} footer={null} width={880} focusFirstField={false}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          aria-label={t('clientImport.kindLabel')}
          optionType="button"
          value={kind}
          disabled={busy !== null || running}
          data-testid="client-import-kind"
          onChange={(e) => {
            setChosenKind(e.target.value as ImportKind)
            setView(null)
            setError(null)
          }}
          options={(['clients', 'followUps'] as const).map((k) => ({ value: k, label: t(`clientImport.kinds.${k}`) }))}
        />
        <Typography.Paragraph type="secondary">{t(followUps ? 'clientImport.hintFollowUps' : 'clientImport.hint')}</Typography.Paragraph>
        <Space>
          <Button type="primary" icon={<UploadOutlined />} loading={busy !== null || checking} disabled={running} onClick={() => input.current?.click()} data-dialog-submit>
            {busy ?? (checking ? t('clientImport.checkingRows', { done }) : t('clientImport.pick'))}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => saveTemplate(kind)} data-testid="client-import-template">
            {t('clientImport.template')}
          </Button>
          <input
            ref={input}
            type="file"
            accept=".xlsx,.csv,.txt"
            hidden
            aria-label={t('clientImport.pick')}
            data-testid="client-import-file"
            onChange={(e) => {
              const f = e.target.files?.[0]
              if (f) void upload(f)
            }}
          />
        </Space>
        {error && <Alert type="error" showIcon message={error} data-testid="client-import-error" />}
        {view && view.headers.length > 0 && view.status === 'checked' && (
          <details open={problem !== null}>
            <summary>
              {t('clientImport.mapping')}
              {view.mappingFrom ? ` · ${t(`clientImport.mappingFrom.${view.mappingFrom}`)}` : ''}
            </summary>
            <Space wrap style={{ marginTop: 8 }}>
              {view.headers.map((h, i) => (
                <Space key={i} direction="vertical" size={2}>
                  <Typography.Text strong>{h || `#${i + 1}`}</Typography.Text>
                  <Select
                    size="small"
                    style={{ width: 130 }}
                    aria-label={h}
                    value={mapping[String(i)] ?? ''}
                    options={fieldOptions}
                    onChange={(v: string) => {
                      const next = { ...mapping }
                      const parsed = AnyImportField.safeParse(v)
                      if (parsed.success) next[String(i)] = parsed.data
                      else delete next[String(i)]
                      setMapping(next)
                    }}
                  />
                </Space>
              ))}
            </Space>
            {problem && (
              <Alert
                style={{ marginTop: 8 }}
                type="warning"
                showIcon
                data-testid="client-import-mapping-problem"
                message={t(`clientImport.failures.${problem.reason}`, { field: t(`clientImport.fields.${problem.field}`) })}
              />
            )}
            <div style={{ marginTop: 8 }}>
              <Button onClick={() => void check(view.id, mapping)}>{t('clientImport.recheck')}</Button>
            </div>
          </details>
        )}
        {counts && (
          <Alert
            type="info"
            data-testid="client-import-summary"
            message={t(followUps ? 'clientImport.summaryFollowUps' : 'clientImport.summary', counts)}
            description={followUps ? t('clientImport.followUpRule') : counts.merge > 0 ? t('clientImport.mergeRule') : undefined}
          />
        )}
        {view && counts && (
          <Tabs
            items={(followUps ? (['create', 'refuse', 'skip'] as const) : (['create', 'merge', 'refuse', 'skip'] as const)).map((v) => ({
              key: v,
              label: `${v === 'skip' && followUps ? t('clientImport.skipFollowUps') : t(`clientImport.verdicts.${v}`)} ${counts[v]}`,
              children: <VerdictRows view={view} verdict={v} />,
            }))}
          />
        )}
        {view?.progress && !checking && (
          <Progress percent={view.progress.total ? Math.round((done / view.progress.total) * 100) : 100} format={() => t('clientImport.progress', { done, total: view.progress?.total ?? 0 })} />
        )}
        {view?.status === 'done' && counts && <Alert type="success" showIcon data-testid="client-import-done" message={t(followUps ? 'clientImport.doneFollowUps' : 'clientImport.done', counts)} />}
        {view?.status === 'cancelled' && <Alert type="warning" showIcon message={t('clientImport.cancelled', { done: counts ? done : 0 })} />}
        <Space>
          {view?.status === 'checked' && counts && counts.create + counts.merge > 0 && (
            <Button type="primary" onClick={() => void act('imports.start')} data-testid="client-import-start">
              {t('clientImport.start')}
            </Button>
          )}
          {running && (
            <Button danger onClick={() => void act('imports.cancel')}>
              {t('clientImport.cancel')}
            </Button>
          )}
          {counts && counts.refuse > 0 && (
            <Button icon={<DownloadOutlined />} onClick={() => void errors()} data-testid="client-import-errors">
              {t('clientImport.errors')}
            </Button>
          )}
          <Button onClick={onClose}>{t('clientImport.close')}</Button>
        </Space>
      </Space>
    </Dialog>
  )
}
