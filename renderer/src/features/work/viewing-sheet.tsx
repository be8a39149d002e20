import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons'
import { Alert, Button, Space, Spin } from 'antd'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import type { ViewingSheet } from '@shared/contract/viewings'
import { useApi } from '../../api/session-context'
import { formatBranchRange, formatBranchTime } from '@shared/domain/branch-time'
import { viewingPlace } from './viewing-list'
import { workErrorText } from './work-errors'
import './print.css'

type SheetData = z.infer<typeof ViewingSheet>

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </>
  )
}

/** The 看房确认书 of one viewing on an A4 sheet: who, where, when, the confirmation and signature lines. */
export function ViewingSheetView({ id }: { id: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const [sheet, setSheet] = useState<SheetData | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    let live = true
    void api.try('viewings.sheet', { id }).then((r) => {
      if (!live) return
      if (r.ok) setSheet(r.value)
      else setProblem(r.error)
    })
    return () => {
      live = false
    }
  }, [api, id])

  const back = () => window.history.back()

  if (problem) {
    return (
      <Space direction="vertical">
        <Alert type="error" showIcon role="alert" message={problem.code === 'NOT_FOUND' ? t('work.sheet.notFound') : workErrorText(t, problem)} />
        <Button icon={<ArrowLeftOutlined />} onClick={back}>
          {t('work.sheet.back')}
        </Button>
      </Space>
    )
  }
  if (!sheet) return <Spin style={{ margin: 48 }} />

  const v = sheet.viewing
  const branch = sheet.branchName
  return (
    <div className="print-view">
      <div className="print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={back}>
          {t('work.sheet.back')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} autoFocus>
          {t('work.sheet.print')}
        </Button>
      </div>
      <article className="print-paper" data-testid="viewing-sheet">
        <header className="sheet-header">
          <div className="sheet-branch">{branch}</div>
          <h1 className="sheet-title">{t('work.sheet.title')}</h1>
          <div className="sheet-meta">
            <span>{t('work.sheet.number', { id: String(v.id).padStart(6, '0') })}</span>
            <span>{t('work.sheet.printedAt', { time: formatBranchTime(sheet.printedAt) })}</span>
          </div>
        </header>
        <table className="sheet-table">
          <tbody>
            <tr>
              <Row label={t('work.sheet.client')}>{v.clientName}</Row>
              <Row label={t('work.sheet.clientCode')}>{v.clientCode}</Row>
            </tr>
            <tr>
              <Row label={t('work.sheet.clientPhone')}>{sheet.clientPhoneMasked ?? '—'}</Row>
              <Row label={t('work.sheet.agent')}>{v.agentName}</Row>
            </tr>
            <tr>
              <Row label={t('work.sheet.agentPhone')}>{sheet.agentPhone ?? '—'}</Row>
              <Row label={t('work.sheet.time')}>{formatBranchRange(v.startsAt, v.endsAt)}</Row>
            </tr>
            <tr>
              <th scope="row">{t('work.sheet.property')}</th>
              <td colSpan={3}>{viewingPlace(t, v)}</td>
            </tr>
          </tbody>
        </table>
        <p className="sheet-paragraph">{t('work.sheet.paragraph', { branch, agent: v.agentName })}</p>
        <div className="sheet-signatures">
          <div className="sheet-sign">
            <div>
              {t('work.sheet.clientSign')}
              <span className="sheet-line" />
            </div>
            <div>{t('work.sheet.date')}</div>
          </div>
          <div className="sheet-sign">
            <div>
              {t('work.sheet.agentSign')}
              <span className="sheet-line" />
            </div>
            <div>{t('work.sheet.date')}</div>
          </div>
        </div>
        <footer className="sheet-footer">{t('work.sheet.copies', { branch })}</footer>
      </article>
    </div>
  )
}
