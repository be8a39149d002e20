import { EyeOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientPhone, ClientProfile } from '@shared/contract/clients'
import type { z } from 'zod'
import { formatBranchTime } from '@shared/domain/branch-time'
import { clientFieldLabel } from './client-errors'
import { protectionText, stageColor, tierColor } from './client-format'

type Phone = z.infer<typeof ClientPhone>

/** The phones of a client, masked unless the viewer owns the client or revealed them. */
export function PhoneList({ phones, onReveal }: { phones: Phone[]; onReveal?: () => void }) {
  const { t } = useTranslation()
  if (phones.length === 0) return <Typography.Text type="secondary">{t('clients.profile.none')}</Typography.Text>
  return (
    <Space size={[12, 4]} wrap data-testid="client-phones">
      {phones.map((p) => (
        <span key={p.id} className="client-phone">
          <span className="client-phone-number-text">{p.display}</span>
          {p.label && <Typography.Text type="secondary"> {t('common.aside', { text: p.label })}</Typography.Text>}
        </span>
      ))}
      {onReveal && phones.some((p) => p.masked) && (
        <Button size="small" icon={<EyeOutlined />} onClick={onReveal}>
          {t('clients.profile.reveal')}
        </Button>
      )}
    </Space>
  )
}

/**
 * The top of a profile: a bar that stays at the top of the page however far it scrolls (who the
 * client is, the blacklist mark, and the actions: 记录跟进, 预约带看, 拨号 first), then who owns
 * them and for how long (保护期), the blacklist warning, other agencies, and how complete the
 * profile is.
 */
export function ProfileHeader({
  client,
  phones,
  actions,
  onReveal,
}: {
  client: ClientProfile
  phones: Phone[]
  actions: ReactNode
  onReveal?: () => void
}) {
  const { t } = useTranslation()
  const protection = protectionText(t, client.protectedUntil)
  const missing = client.missingFields.map((f) => clientFieldLabel(t, f))
  const full = client.access === 'full'

  return (
    <>
      <div className="client-header-top" data-testid="client-header-bar">
        <Space size={10} wrap align="center">
          <Typography.Title level={3} className={client.blacklisted ? 'client-header-name client-name-black' : 'client-header-name'}>
            {client.name}
          </Typography.Title>
          {client.blacklisted && <Tag color="red">{t('clients.fields.blacklisted')}</Tag>}
          <Typography.Text type="secondary" copyable={false} data-testid="client-code">
            {client.code}
          </Typography.Text>
          <Tag>{t(`clients.enums.kind.${client.kind}`)}</Tag>
          <Tag color={tierColor(client.tier)}>{t('clients.profile.tierTag', { value: t(`clients.enums.tier.${client.tier}`) })}</Tag>
          <Tag color={stageColor(client.stage)}>{t('clients.profile.stageTag', { value: t(`clients.enums.stage.${client.stage}`) })}</Tag>
        </Space>
        <Space wrap className="client-header-actions">
          {actions}
        </Space>
      </div>
      <Card className="client-header" size="small">
        {client.blacklisted && (
          <Alert
            type="error"
            showIcon
            role="alert"
            className="client-blacklist-alert"
            message={t('clients.profile.blacklistTitle')}
            description={t('clients.profile.blacklistReason', { reason: client.blacklistReason ?? '' })}
          />
        )}
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} className="client-header-facts">
          <Descriptions.Item label={t('clients.fields.owner')}>
            {client.owner ? (
              <span data-testid="client-owner">
                {client.owner.name}
                {client.owner.phone && <Typography.Text type="secondary"> {client.owner.phone}</Typography.Text>}
              </span>
            ) : (
              t('clients.profile.noOwner')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('clients.fields.protectedUntil')}>
            <span className={`client-protection client-protection-${protection.state}`} title={protection.title}>
              {protection.text}
            </span>
            {client.protectedUntil && <Typography.Text type="secondary"> {t('common.aside', { text: formatBranchTime(client.protectedUntil) })}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('clients.fields.phones')}>
            <PhoneList phones={phones} onReveal={onReveal} />
          </Descriptions.Item>
          <Descriptions.Item label={t('clients.fields.sourceChannel')}>{t(`clients.enums.sourceChannel.${client.sourceChannel}`)}</Descriptions.Item>
          <Descriptions.Item label={`${t('clients.fields.region')} / ${t('clients.fields.community')}`}>
            {[client.region, client.community].filter(Boolean).join(' · ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('clients.fields.lastFollowUpAt')}>{formatBranchTime(client.lastFollowUpAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('clients.fields.entrustedOther')}>
            {client.entrustedOther ? (
              <Typography.Text type="warning">
                {client.entrustedAgencies ? t('clients.profile.entrusted', { agencies: client.entrustedAgencies }) : t('clients.profile.entrustedUnknown')}
              </Typography.Text>
            ) : (
              t('clients.profile.notEntrusted')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('clients.fields.completeness')} span={2}>
            <div className="client-header-completeness">
              <Progress percent={client.completeness} size="small" style={{ width: 180, margin: 0 }} format={(p) => `${p ?? 0}%`} strokeColor={client.completeness >= 80 ? '#52c41a' : client.completeness >= 50 ? '#1668dc' : '#faad14'} />
              {full && (
                <Typography.Text type={missing.length ? 'warning' : 'success'}>
                  {missing.length ? t('clients.profile.missing', { fields: missing.join(t('common.listSeparator')) }) : t('clients.profile.complete')}
                </Typography.Text>
              )}
            </div>
          </Descriptions.Item>
        </Descriptions>
      </Card>
    </>
  )
}
