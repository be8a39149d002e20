import { Result } from 'antd'
import { useTranslation } from 'react-i18next'
import type { PageProps } from '../../app/routes'
import { ViewingSheetView } from './viewing-sheet'

/** 打印: the printable documents, by path (`/print/viewing/<id>` is the 看房确认书). */
export function PrintPage({ params }: PageProps) {
  const { t } = useTranslation()
  const [kind, id] = params
  const viewingId = Number(id)
  if (kind === 'viewing' && Number.isInteger(viewingId) && viewingId > 0) return <ViewingSheetView id={viewingId} />
  return <Result status="404" title={t('work.sheet.unknownPrint')} />
}
