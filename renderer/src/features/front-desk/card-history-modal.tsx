import { Alert, Table, Tag } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { deskErrorText } from './desk-errors'
import { cardNumberText } from './desk-format'
import { Dialog } from '../../app/dialog'

type MemberCard = OutputOf<'cards.list'>['cards'][number]

const COLOURS = { active: 'green', lost: 'red', replaced: 'default' } as const

/** A client's cards, live and past (cards.list). */
export function CardHistoryModal({ client, onClose }: { client: { id: number; name: string } | null; onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [cards, setCards] = useState<MemberCard[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!client) return
    setCards(null)
    setError(null)
    void api.try('cards.list', { clientId: client.id }).then((r) => (r.ok ? setCards(r.value.cards) : setError(deskErrorText(t, r.error))))
  }, [api, client, t])

  return (
    <Dialog focusTriggerAfterClose={false} open={client !== null} title={t('frontDesk.history.title', { name: client?.name ?? '' })} onCancel={onClose} footer={null} width={640}>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<MemberCard>
        size="small"
        rowKey="id"
        loading={cards === null && !error}
        dataSource={cards ?? []}
        pagination={false}
        locale={{ emptyText: t('frontDesk.history.empty') }}
        columns={[
          { title: t('frontDesk.history.uid'), dataIndex: 'uid', render: (v: string) => cardNumberText(v) },
          { title: t('frontDesk.history.status'), dataIndex: 'status', render: (s: MemberCard['status']) => <Tag color={COLOURS[s]}>{t(`frontDesk.cardStatus.${s}`)}</Tag> },
          { title: t('frontDesk.history.issuedAt'), dataIndex: 'issuedAt', render: (v: string) => formatBranchTime(v) },
          { title: t('frontDesk.history.lostAt'), dataIndex: 'lostAt', render: (v: string | null) => formatBranchTime(v) },
        ]}
      />
    </Dialog>
  )
}
