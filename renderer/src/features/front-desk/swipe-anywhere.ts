import { App } from 'antd'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { handSwipeToNextPage, useFallbackCardSwipes } from './card-swipes'
import { deskErrorText } from './desk-errors'
import { cardNumberText } from './desk-format'

/**
 * A card swipe on a page that does not listen for one (or while the header search has focus):
 * the front desk goes to 前台, which shows the card as if swiped there; others open the client.
 */
export function useSwipeAnywhere(): void {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  useFallbackCardSwipes(
    {
      onSwipe: (read, at) => {
        if (me.role === 'front_desk') {
          handSwipeToNextPage(read, at)
          return navigate('/front-desk')
        }
        // a look-up by someone at their desk, not a visit: not logged as a counter swipe
        void api.try('cards.identify', { read, log: false }).then((r) => {
          if (!r.ok) return void message.error(deskErrorText(t, r.error))
          const v = r.value
          if (v.status === 'unreadable') return void message.warning(t('frontDesk.unreadable'))
          if (v.status === 'unknown') return void message.warning(t('frontDesk.swipeAnywhere.unknown', { number: cardNumberText(v.uid) }))
          if (v.status !== 'known') void message.warning(t(v.status === 'lost' ? 'frontDesk.card.lostAlert' : 'frontDesk.card.replacedAlert'))
          navigate(`/clients/${v.card.clientId}`)
        })
      },
      onRejected: () => void message.warning(t('frontDesk.reader.rejected')),
    },
    mayCall(me.role, 'cards.identify'),
  )
}
