import { CreditCardOutlined } from '@ant-design/icons'
import { Alert, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { typedFormat, useCardSwipes } from './card-swipes'
import type { CardReadInput } from './swipe-catcher'
import { deskErrorText } from './desk-errors'
import { Dialog } from '../../app/dialog'

interface Props {
  open: boolean
  title: string
  hint: string
  /** does the work with the card read; returns the error to show, or null when done. */
  onRead(read: CardReadInput): Promise<ApiErrorShape | null>
  onClose(): void
}

/** A dialog that waits for a card: swipe it (any reader), or type its number and press Enter. */
export function SwipeCardModal({ open, title, hint, onRead, onClose }: Props) {
  const { t } = useTranslation()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [typed, setTyped] = useState('')

  const take = async (read: CardReadInput) => {
    if (busy) return
    setBusy(true)
    setError(null)
    const e = await onRead(read)
    setBusy(false)
    if (e) setError(deskErrorText(t, e))
    else setTyped('')
  }

  useCardSwipes({ onSwipe: (read) => void take(read), onRejected: () => setError(t('frontDesk.reader.rejected')) }, open)

  return (
    <Dialog
      focusTriggerAfterClose={false}
      // waits for a swipe: a reader's burst is caught page-wide while no field has the focus
      focusFirstField={false}
      open={open}
      title={title}
      onCancel={() => {
        setError(null)
        setTyped('')
        onClose()
      }}
      footer={null}
      destroyOnHidden
    >
      <div className="desk-wait-card" data-testid="swipe-card-modal">
        <CreditCardOutlined className="desk-wait-icon" />
        <Typography.Title level={4}>{busy ? t('frontDesk.wait.busy') : t('frontDesk.wait.swipe')}</Typography.Title>
        <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
        <Input
          style={{ width: 320 }}
          aria-label={t('frontDesk.wait.typeLabel')}
          placeholder={t('frontDesk.wait.typePlaceholder')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onPressEnter={() => typed.trim() && void take({ text: typed.trim(), format: typedFormat() })}
        />
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="swipe-card-error" />}
      </div>
    </Dialog>
  )
}
