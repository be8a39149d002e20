import { Alert, Button, Space, Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useMe } from '../../api/session-context'
import { protectionText } from './client-format'
import type { Duplicate } from './use-duplicate-check'

/**
 * One 防撞单 hit, inline under the field that matched: whose client it is, their phone and
 * the protection left; someone else's client offers 申请协作 instead of a second record.
 */
export function DuplicateNotice({ match, onOpen, onCollaborate }: { match: Duplicate; onOpen(): void; onCollaborate(): void }) {
  const { t } = useTranslation()
  const me = useMe()
  const protection = protectionText(t, match.protectedUntil)
  const mayAsk = !match.isMine && mayCall(me.role, 'clients.requestCollaboration')
  const owner = match.owner
    ? `${t('clients.dup.owner', { owner: match.owner.name })}${match.owner.phone ? t('clients.dup.ownerPhone', { phone: match.owner.phone }) : ''}`
    : t('clients.dup.noOwner')

  return (
    <Alert
      className="client-dup"
      data-testid="duplicate-notice"
      type={match.blacklisted || !match.isMine ? 'error' : 'info'}
      showIcon
      role="alert"
      message={
        <Space size={6} wrap>
          <span>
            {t(match.matchedOn === 'org_name' ? 'clients.dup.orgTaken' : 'clients.dup.phoneTaken', { name: match.name, code: match.code })}
          </span>
          {match.blacklisted && <Tag color="red">{t('clients.dup.blacklisted')}</Tag>}
        </Space>
      }
      description={
        <Space direction="vertical" size={4}>
          <span>
            {match.isMine ? t('clients.dup.mine') : owner}
            {' · '}
            <span className={`client-protection client-protection-${protection.state}`} title={protection.title}>
              {protection.text}
            </span>
          </span>
          {!match.isMine && !mayAsk && <span>{t('clients.dup.deskHint')}</span>}
          <Space>
            <Button size="small" onClick={onOpen}>
              {t('clients.dup.open')}
            </Button>
            {mayAsk && (
              <Button size="small" type="primary" onClick={onCollaborate}>
                {t('clients.dup.collaborate')}
              </Button>
            )}
          </Space>
        </Space>
      }
    />
  )
}
