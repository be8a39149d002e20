import { CalendarOutlined, EditOutlined, MessageOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons'
import { Alert, App, Button, Empty, List, Space, Spin, Tag, Typography } from 'antd'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import type { FollowUp } from '@shared/contract/followups'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { FollowUpModal } from './follow-up-modal'
import { LostModal } from './lost-modal'
import { ViewingBookModal, type ViewingData } from './viewing-book-modal'
import { ViewingList } from './viewing-list'
import { ViewingRecordModal } from './viewing-record-modal'
import { workErrorText } from './work-errors'
import './work.css'
import { hostText } from '../../i18n/host-text'

/** Props of the follow-up panel shown on a client's profile. */
interface ClientFollowUpsTabProps {
  clientId: number
  /** whether the viewer may log contacts (owner, team senior, manager). */
  canEdit: boolean
  /** whether the viewer may log contacts and book viewings without editing the client: a collaborator (申请协作 accepted); canEdit when absent */
  canLog?: boolean
  /** called after the client itself changed here (stage by a follow-up, lost, revived), so the profile reloads. */
  onChanged?(): void
  /** 记录跟进 and 预约带看 are in the page's header (the client profile), not in this tab's toolbar. */
  actionsInHeader?: boolean
  /** changes when the header logged or booked: the log and the viewings are read again. */
  reloadKey?: number
}

type FollowUpRow = z.infer<typeof FollowUp>
type Dialog = { kind: 'followUp' } | { kind: 'note' } | { kind: 'book' } | { kind: 'record'; viewing: ViewingData } | { kind: 'lost' } | null

const PAGE_SIZE = 10
const CHANNEL_COLORS: Record<FollowUpRow['channel'], string> = { phone: 'blue', wechat: 'green', visit: 'gold', viewing: 'cyan', sms: 'geekblue', note: 'purple' }

function LogItem({ f }: { f: FollowUpRow }) {
  const { t } = useTranslation()
  return (
    <List.Item className="work-log-item">
      <div className="work-log-head">
        <Tag color={CHANNEL_COLORS[f.channel]}>{t(`clients.enums.followUpChannel.${f.channel}`)}</Tag>
        <Typography.Text strong>{f.staffName}</Typography.Text>
        <Typography.Text type="secondary">{formatBranchTime(f.createdAt)}</Typography.Text>
        {f.intention && <Tag>{t('work.log.intention', { intention: t(`clients.enums.intention.${f.intention}`) })}</Tag>}
        {f.stageTo && <Tag color="orange">{t('work.log.stageTo', { stage: t(`clients.enums.stage.${f.stageTo}`) })}</Tag>}
        {f.imported && <Tag>{t('work.log.imported')}</Tag>}
      </div>
      <Typography.Paragraph className="work-log-content">
        {f.text && hostText(t, f.text)}
        {f.content}
      </Typography.Paragraph>
      {f.imported && (f.nextAction ?? f.nextDueAt) && (
        <Typography.Text type="secondary">{t('work.log.importedNext', { next: f.nextAction ?? formatBranchTime(f.nextDueAt ?? '') })}</Typography.Text>
      )}
      {f.nextAction && f.nextDueAt && (
        <Typography.Text type="secondary">{t('work.log.next', { action: f.nextAction, time: formatBranchTime(f.nextDueAt) })}</Typography.Text>
      )}
    </List.Item>
  )
}

/** The client's shared follow-up log, viewings and actions, shown as a tab of the profile. */
export function ClientFollowUpsTab({ clientId, canEdit, canLog = canEdit, onChanged, actionsInHeader = false, reloadKey = 0 }: ClientFollowUpsTabProps) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message, modal } = App.useApp()
  const [client, setClient] = useState<ClientProfile | null>(null)
  const [log, setLog] = useState<{ rows: FollowUpRow[]; total: number } | null>(null)
  const [logError, setLogError] = useState<ApiErrorShape | null>(null)
  const [page, setPage] = useState(1)
  const pageRef = useRef(1)
  const [viewings, setViewings] = useState<ViewingData[]>([])
  const [dialog, setDialog] = useState<Dialog>(null)
  const headingId = useId()

  const loadClient = useCallback(async () => {
    const r = await api.try('clients.get', { id: clientId })
    if (r.ok) setClient(r.value)
    return r.ok ? r.value : null
  }, [api, clientId])

  const loadLog = useCallback(
    async (p: number) => {
      const r = await api.try('followups.list', { clientId, offset: (p - 1) * PAGE_SIZE, limit: PAGE_SIZE })
      if (r.ok) {
        setLog(r.value)
        setLogError(null)
      } else setLogError(r.error)
    },
    [api, clientId],
  )

  // every viewing of this client, whichever agent and however long ago (newest first)
  const loadViewings = useCallback(async () => {
    const r = await api.try('viewings.list', { clientId })
    if (r.ok) setViewings(r.value.viewings)
  }, [api, clientId])

  const reloadAll = useCallback(async () => {
    await Promise.all([loadClient(), loadLog(pageRef.current), loadViewings()])
  }, [loadClient, loadLog, loadViewings])

  useEffect(() => {
    void reloadAll()
  }, [reloadAll, reloadKey])

  const lost = client?.stage === 'lost'
  const mayLog = canLog && mayCall(me.role, 'followups.create') && !actionsInHeader
  const mayNote = mayCall(me.role, 'followups.create') && log !== null
  const name = client?.name ?? ''
  const mayBook = canLog && mayCall(me.role, 'viewings.book') && !actionsInHeader
  const mayLose = canEdit && !lost && mayCall(me.role, 'clients.markLost')

  function showPage(p: number) {
    pageRef.current = p
    setPage(p)
    void loadLog(p)
  }

  function clientChanged() {
    void reloadAll()
    onChanged?.()
  }

  function revive() {
    modal.confirm({
      title: t('work.log.revive'),
      content: t('work.log.reviveConfirm'),
      okText: t('work.log.revive'),
      cancelText: t('work.common.cancel'),
      onOk: async () => {
        const r = await api.try('clients.revive', { id: clientId })
        if (!r.ok) return void message.error(workErrorText(t, r.error))
        void message.success(t('work.log.revived'))
        clientChanged()
      },
    })
  }

  if (!client && !log && !logError) return <Spin style={{ display: 'block', margin: 32 }} />

  return (
    <div className="work-client-tab" data-testid="client-follow-ups">
      {lost && (
        <Alert
          type="warning"
          showIcon
          message={t('work.log.lost')}
          action={
            canEdit && mayCall(me.role, 'clients.revive') ? (
              <Button size="small" icon={<UndoOutlined />} onClick={revive}>
                {t('work.log.revive')}
              </Button>
            ) : undefined
          }
        />
      )}
      {(mayLog || mayNote || mayBook || mayLose) && (
        <div className="work-toolbar">
          <Space wrap>
            {mayLog && (
              <Button type="primary" icon={<EditOutlined />} disabled={lost} onClick={() => setDialog({ kind: 'followUp' })}>
                {t('work.log.record')}
              </Button>
            )}
            {mayNote && (
              <Button icon={<MessageOutlined />} disabled={lost} onClick={() => setDialog({ kind: 'note' })}>
                {t('work.log.addNote')}
              </Button>
            )}
            {mayBook && (
              <Button icon={<CalendarOutlined />} disabled={lost} onClick={() => setDialog({ kind: 'book' })}>
                {t('work.viewing.book')}
              </Button>
            )}
          </Space>
          {mayLose && (
            <Button danger icon={<StopOutlined />} onClick={() => setDialog({ kind: 'lost' })}>
              {t('work.log.markLost')}
            </Button>
          )}
        </div>
      )}

      <section aria-labelledby={`${headingId}-viewings`}>
        <Typography.Title level={5} id={`${headingId}-viewings`}>
          {t('work.viewing.heading')}
        </Typography.Title>
        <ViewingList viewings={viewings} canRecord={canEdit} onRecord={(v) => setDialog({ kind: 'record', viewing: v })} />
      </section>

      <section aria-labelledby={`${headingId}-log`}>
        <Typography.Title level={5} id={`${headingId}-log`}>
          {t('work.log.heading')}
          {log && (
            <Typography.Text type="secondary" className="work-heading-count">
              {t('work.log.total', { count: log.total })}
            </Typography.Text>
          )}
        </Typography.Title>
        {logError ? (
          <Alert type={logError.code === 'FORBIDDEN' ? 'info' : 'error'} showIcon message={logError.code === 'FORBIDDEN' ? t('work.log.noAccess') : workErrorText(t, logError)} />
        ) : log && log.total === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('work.log.empty')} />
        ) : (
          <List<FollowUpRow>
            dataSource={log?.rows ?? []}
            loading={!log}
            rowKey="id"
            renderItem={(f) => <LogItem f={f} />}
            pagination={
              log && log.total > PAGE_SIZE
                ? {
                    current: page,
                    pageSize: PAGE_SIZE,
                    total: log.total,
                    size: 'small',
                    showSizeChanger: false,
                    onChange: (p) => {
                      showPage(p)
                    },
                  }
                : false
            }
          />
        )}
      </section>

      {(dialog?.kind === 'followUp' || dialog?.kind === 'note') && (
        <FollowUpModal
          target={{ clientId, clientName: name }}
          note={dialog.kind === 'note'}
          onClose={() => setDialog(null)}
          onSaved={() => {
            showPage(1)
            onChanged?.()
          }}
        />
      )}
      {dialog?.kind === 'book' && (
        <ViewingBookModal clientId={clientId} clientName={name} onClose={() => setDialog(null)} onBooked={() => void loadViewings()} />
      )}
      {dialog?.kind === 'record' && (
        <ViewingRecordModal viewing={dialog.viewing} onClose={() => setDialog(null)} onRecorded={() => void loadViewings()} />
      )}
      {dialog?.kind === 'lost' && <LostModal clientId={clientId} clientName={name} onClose={() => setDialog(null)} onDone={clientChanged} />}
    </div>
  )
}
