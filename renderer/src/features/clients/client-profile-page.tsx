import { ArrowLeftOutlined, EditOutlined, MergeCellsOutlined, RollbackOutlined, StopOutlined, SwapOutlined, TeamOutlined, UndoOutlined, UserAddOutlined } from '@ant-design/icons'
import { Alert, Button, Result, Skeleton, Tabs } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ClientPhone, ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { ClientFollowUpsTab } from '../work/client-follow-ups-tab'
import { HandBackModal, type HandBackAction } from '../collab/hand-back-modal'
import { BlacklistModal } from './blacklist-modal'
import { clientErrorText, clientFieldLabel } from './client-errors'
import { CollaborateModal } from './collaborate-modal'
import { EditClientModal } from './edit-client-modal'
import { staleNotice } from './stale-edit'
import { MergeModal } from './merge-modal'
import { NeedsTab } from './needs-tab'
import { ProfileDetails } from './profile-details'
import { ProfileMainActions } from './profile-actions'
import { ProfileHeader } from './profile-header'
import { RecommendedUnitsTab } from './recommended-units-tab'
import { useRegions } from './region-tree'
import { RevealPhonesModal } from './reveal-phones-modal'

type Phone = z.infer<typeof ClientPhone>
type Dialog = 'edit' | 'reveal' | 'blacklist' | 'collaborate' | 'merge' | HandBackAction | null

/** 客户资料 (#/clients/:id): header card, actions by role, and tabs for details, requirements and follow-ups. */
export function ClientProfilePage({ id }: { id: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [client, setClient] = useState<ClientProfile | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [revealed, setRevealed] = useState<{ phones: Phone[]; idNumber: string | null } | null>(null)
  const [dialog, setDialog] = useState<Dialog>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [tab, setTab] = useState('details')
  // bumped when the header logged a follow-up or booked a viewing: the follow-ups tab reads again
  const [logged, setLogged] = useState(0)
  const regions = useRegions()

  const load = useCallback(async () => {
    const r = await api.try('clients.get', { id })
    if (r.ok) {
      setClient(r.value)
      setProblem(null)
    } else setProblem(r.error)
  }, [api, id])

  useEffect(() => {
    setClient(null)
    setRevealed(null)
    setNotice(null)
    setTab('details')
    void load()
  }, [load])

  if (problem && !client) {
    const missing = problem.code === 'NOT_FOUND'
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('clients.profile.notFound') : t('clients.profile.loadFailed', { text: clientErrorText(t, problem) })}
        extra={
          <>
            <Button onClick={() => navigate('/clients')}>{t('clients.profile.back')}</Button>
            {!missing && <Button onClick={() => void load()}>{t('clients.profile.retry')}</Button>}
          </>
        }
      />
    )
  }
  if (!client) return <Skeleton active paragraph={{ rows: 8 }} />

  const full = client.access === 'full'
  const canEdit = full && !client.collaborator && me.role !== 'admin' && me.role !== 'front_desk'
  const isOwner = client.owner?.id === me.id
  const phones = revealed?.phones ?? client.phones
  const mayReveal = full && mayCall(me.role, 'clients.revealPhones') && phones.some((p) => p.masked)
  // 申请协作 is for a colleague's client one does not see in full (the pool's are claimed instead)
  const mayAsk = mayCall(me.role, 'clients.requestCollaboration') && !full && client.owner !== null
  // a collaborator (申请协作 accepted) logs contacts and books viewings without owning the profile
  const canLog = canEdit || client.collaborator
  const handBack: HandBackAction | null =
    client.owner === null
      ? mayCall(me.role, 'clients.assign') ? (me.role === 'manager' ? 'assign' : 'assignByRota') : null
      : isOwner && mayCall(me.role, 'pool.release')
        ? 'release'
        : mayCall(me.role, 'clients.reassign')
          ? 'reassign'
          : null
  const mayBlacklist = canEdit && !client.blacklisted
  const mayLift = client.blacklisted && me.role === 'manager'

  const saved = (c: ClientProfile) => {
    setClient(c)
    setRevealed(null)
  }
  const stale = (e: ApiErrorShape) => {
    const s = staleNotice(t, e)
    const fields = s.fields.map((f) => clientFieldLabel(t, f)).join(t('common.listSeparator'))
    setNotice(t('common.withNote', { text: s.by ? t('clients.form.staleTitle', { by: s.by }) : t('clients.form.staleTitleAnon'), note: fields }))
    void load()
  }

  const actions = (
    <>
      <ProfileMainActions
        client={client}
        phones={phones}
        canLog={canLog}
        onReveal={mayReveal ? () => setDialog('reveal') : undefined}
        onLogged={() => {
          setLogged((n) => n + 1)
          void load()
        }}
      />
      {canEdit && (
        <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
          {t('clients.profile.edit')}
        </Button>
      )}
      {mayAsk && (
        <Button icon={<TeamOutlined />} onClick={() => setDialog('collaborate')}>
          {t('clients.profile.collaborate')}
        </Button>
      )}
      {handBack === 'release' && (
        <Button icon={<RollbackOutlined />} onClick={() => setDialog('release')}>
          {t('collab.handBack.release')}
        </Button>
      )}
      {handBack === 'reassign' && (
        <Button icon={<SwapOutlined />} onClick={() => setDialog('reassign')}>
          {t('collab.handBack.reassign')}
        </Button>
      )}
      {(handBack === 'assign' || handBack === 'assignByRota') && (
        <Button icon={<UserAddOutlined />} onClick={() => setDialog(handBack)}>
          {t('collab.handBack.assign')}
        </Button>
      )}
      {mayBlacklist && (
        <Button danger icon={<StopOutlined />} onClick={() => setDialog('blacklist')}>
          {t('clients.profile.blacklistOn')}
        </Button>
      )}
      {mayLift && (
        <Button icon={<UndoOutlined />} onClick={() => setDialog('blacklist')}>
          {t('clients.profile.blacklistOff')}
        </Button>
      )}
      {mayCall(me.role, 'clients.merge') && (
        <Button icon={<MergeCellsOutlined />} onClick={() => setDialog('merge')}>
          {t('clients.profile.merge')}
        </Button>
      )}
    </>
  )

  return (
    <div className="client-profile" data-testid="client-profile">
      <div>
        <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/clients')} className="client-back">
          {t('clients.profile.back')}
        </Button>
      </div>
      {notice && <Alert type="warning" showIcon closable message={notice} onClose={() => setNotice(null)} />}
      <ProfileHeader client={client} phones={phones} actions={actions} onReveal={mayReveal ? () => setDialog('reveal') : undefined} />
      <Tabs
        className="client-tabs"
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'details', label: t('clients.profile.tabs.details'), children: <ProfileDetails client={revealed?.idNumber ? { ...client, idNumber: revealed.idNumber } : client} phones={phones} isDesk={me.role === 'front_desk'} /> },
          {
            key: 'needs',
            label: t('clients.profile.tabs.needs'),
            children: full ? (
              <NeedsTab clientId={client.id} canEdit={canEdit} regionOptions={(regions ?? []).map((r) => r.region)} onChanged={() => void load()} />
            ) : (
              <Alert type="info" showIcon message={t('clients.needs.basicHint')} />
            ),
          },
          { key: 'followUps', label: t('clients.profile.tabs.followUps'), children: <ClientFollowUpsTab clientId={client.id} canEdit={canEdit} canLog={canLog} actionsInHeader reloadKey={logged} onChanged={() => void load()} /> },
          ...(full && mayCall(me.role, 'matching.unitsForClient')
            ? [{ key: 'recommend', label: t('clients.profile.tabs.recommend'), children: <RecommendedUnitsTab clientId={client.id} active={tab === 'recommend'} onRecordNeeds={() => setTab('needs')} /> }]
            : []),
        ]}
      />
      {dialog === 'edit' && <EditClientModal client={client} onClose={() => setDialog(null)} onSaved={saved} />}
      {dialog === 'reveal' && <RevealPhonesModal client={client} onClose={() => setDialog(null)} onShown={setRevealed} />}
      {dialog === 'blacklist' && <BlacklistModal client={client} onClose={() => setDialog(null)} onSaved={saved} onStale={stale} />}
      {dialog === 'collaborate' && (
        <CollaborateModal client={{ id: client.id, name: client.name, ownerName: client.owner?.name ?? null }} onClose={() => setDialog(null)} />
      )}
      {(dialog === 'release' || dialog === 'reassign' || dialog === 'assign' || dialog === 'assignByRota') && (
        <HandBackModal
          action={dialog}
          clients={[{ id: client.id, name: client.name, ownerId: client.owner?.id ?? null }]}
          onClose={() => setDialog(null)}
          onDone={() => void load()}
        />
      )}
      {dialog === 'merge' && <MergeModal client={client} onClose={() => setDialog(null)} onMerged={(kept) => (kept.id === client.id ? saved(kept) : navigate(`/clients/${kept.id}`))} />}
    </div>
  )
}
