import { Tabs } from 'antd'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { navigate } from '../../app/use-hash-route'
import { ActivitiesPanel } from './activities-panel'
import { LevelsPanel } from './levels-panel'
import { MemberLookup } from './member-lookup'
import { ReferralPanel } from './referral-panel'
import '../front-desk/front-desk.css'
import './members.css'

const TABS = ['lookup', 'activities', 'referral', 'levels'] as const
type Tab = (typeof TABS)[number]

/** 会员: member lookup with points ledger, activities with swipe check-in, referrals, and the level table. */
export function MembersPage({ params }: PageProps) {
  const { t } = useTranslation()
  const me = useMe()
  const tab: Tab = TABS.find((x) => x === params[0]) ?? 'lookup'
  const mayRefer = mayCall(me.role, 'referrals.create')

  return (
    <div className="members-page">
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`/members/${k}`)}
        destroyOnHidden
        items={[
          { key: 'lookup', label: t('members.tabs.lookup'), children: <MemberLookup mayAdjust={mayCall(me.role, 'club.adjust')} active={tab === 'lookup'} /> },
          { key: 'activities', label: t('members.tabs.activities'), children: <ActivitiesPanel mayCreate={mayCall(me.role, 'activities.create')} /> },
          ...(mayRefer ? [{ key: 'referral', label: t('members.tabs.referral'), children: <ReferralPanel /> }] : []),
          { key: 'levels', label: t('members.tabs.levels'), children: <LevelsPanel mayEdit={mayCall(me.role, 'club.setLevels')} /> },
        ]}
      />
    </div>
  )
}
