import { Badge, Tooltip } from 'antd'
import { useTranslation } from 'react-i18next'
import { useReaderLight, type ReaderLight } from './card-swipes'

const COLOURS: Record<ReaderLight['state'], string> = {
  connected: '#52c41a',
  'keyboard-wedge': '#1677ff',
  browser: '#1677ff',
  none: '#bfbfbf',
  waiting: '#bfbfbf',
  error: '#ff4d4f',
}

/** The reader status light for the page header: connected / keyboard-type / browser / none / error. */
export function ReaderStatusLight({ lastSwipe }: { lastSwipe: { ms: number; api: number } | null }) {
  const { t } = useTranslation()
  const light = useReaderLight()
  const label = t(`frontDesk.reader.${light.state}`)
  const tip = [
    light.detail ? t('frontDesk.reader.detail', { detail: light.detail }) : null,
    t(`frontDesk.reader.hint_${light.state}`),
    lastSwipe ? t('frontDesk.reader.lastSwipe', lastSwipe) : null,
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <Tooltip title={tip}>
      <span className="desk-reader" data-testid="reader-light" data-state={light.state} role="status">
        <Badge color={COLOURS[light.state]} />
        <span>{label}</span>
      </span>
    </Tooltip>
  )
}
