import { Button, Input, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { CardRead } from '@shared/contract/cards'
import type { z } from 'zod'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { useCardSwipes } from '../front-desk/card-swipes'

type Verdict = OutputOf<'subscription.checkIn'>

/** The door: a member-card swipe or a typed VIP card number, answered in large type (welcome, or why not). */
export function DoorPanel({ eventId }: { eventId: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const [cardNo, setCardNo] = useState('')
  const [verdict, setVerdict] = useState<Verdict | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const check = async (by: { cardNo: number } | { read: z.infer<typeof CardRead> }) => {
    const r = await api.try('subscription.checkIn', { eventId, ...by })
    if (!r.ok) {
      setVerdict(null)
      return setProblem(errorText(t, r.error))
    }
    setProblem(null)
    setVerdict(r.value)
  }
  useCardSwipes({ onSwipe: (read) => void check({ read }) })

  const typed = Number(cardNo.trim())
  return (
    <div className="sub-door">
      <Space.Compact style={{ width: 360 }}>
        <Input
          size="large"
          placeholder={t('subscription.door.hint')}
          aria-label={t('subscription.door.hint')}
          value={cardNo}
          onChange={(e) => setCardNo(e.target.value.replace(/\D/g, ''))}
          onPressEnter={() => typed > 0 && void check({ cardNo: typed })}
        />
        <Button size="large" type="primary" disabled={!(typed > 0)} onClick={() => void check({ cardNo: typed })}>
          {t('subscription.door.check')}
        </Button>
      </Space.Compact>
      {verdict && (
        <div className={`sub-verdict ${verdict.ok ? 'sub-verdict-ok' : 'sub-verdict-no'}`} role="status" data-testid="door-verdict">
          {t(`subscription.door.${verdict.verdict}`, { cardNo: verdict.cardNo ?? '', group: verdict.group ?? '', day: verdict.day ?? '' })}
        </div>
      )}
      {problem && (
        <div className="sub-verdict sub-verdict-no" role="status">
          {problem}
        </div>
      )}
    </div>
  )
}
