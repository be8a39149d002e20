import { Alert, Descriptions, Tag, Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientPhone, ClientProfile } from '@shared/contract/clients'
import type { z } from 'zod'
import { formatBranchTime } from '@shared/domain/branch-time'
import { behaviourTagText } from './behaviour-tag-text'
import { clientEnumText, type ClientEnum, type ClientValue } from './enum-text'
import { PhoneList } from './profile-header'
import type { ClientsTexts } from './texts.zh'

type Phone = z.infer<typeof ClientPhone>
type Field = keyof ClientsTexts['fields']

/** 客户资料 tab: identity, contact, household, work or organisation, sales and tags; basic access shows why there is less. */
export function ProfileDetails({ client, phones, isDesk }: { client: ClientProfile; phones: Phone[]; isDesk: boolean }) {
  const { t } = useTranslation()
  const f = (k: Field) => t(`clients.fields.${k}`)
  const text = (v: string | number | null | undefined, unit = ''): ReactNode =>
    v === null || v === undefined || v === '' ? <Typography.Text type="secondary">—</Typography.Text> : `${v}${unit}`
  const label = <G extends ClientEnum>(group: G, v: ClientValue<G> | null | undefined) => text(v ? clientEnumText(t, group, v) : null)

  if (client.access === 'basic') {
    return (
      <>
        <Alert
          type="info"
          showIcon
          message={t('clients.profile.basicTitle')}
          description={t(isDesk ? 'clients.profile.basicHintDesk' : 'clients.profile.basicHint')}
          style={{ marginBottom: 16 }}
          data-testid="basic-access-note"
        />
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={f('code')}>{client.code}</Descriptions.Item>
          <Descriptions.Item label={f('kind')}>{t(`clients.enums.kind.${client.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={f('phones')}>
            <PhoneList phones={phones} />
          </Descriptions.Item>
          <Descriptions.Item label={f('createdAt')}>{formatBranchTime(client.createdAt)}</Descriptions.Item>
        </Descriptions>
      </>
    )
  }

  const section = (key: keyof ClientsTexts['profile']['sections'], items: Array<[Field, ReactNode]>) => (
    <Descriptions
      key={key}
      title={t(`clients.profile.sections.${key}`)}
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 3 }}
      className="client-details-section"
      items={items.map(([k, v]) => ({ key: k, label: f(k), children: v }))}
    />
  )
  const org = client.org ?? {}
  const children =
    client.children.length === 0 ? (
      <Typography.Text type="secondary">{t('clients.profile.none')}</Typography.Text>
    ) : (
      client.children.map((c, i) => (
        <div key={i}>{t('clients.profile.childLine', { age: c.age, schooling: t(`clients.enums.schooling.${c.schooling}`) })}</div>
      ))
    )
  const tags = (list: string[], color?: string, word: (tag: string) => string = (tag) => tag) =>
    list.length === 0 ? (
      <Typography.Text type="secondary">{t('clients.profile.none')}</Typography.Text>
    ) : (
      list.map((tag) => (
        <Tag key={tag} color={color}>
          {word(tag)}
        </Tag>
      ))
    )

  return (
    <div className="client-details">
      {client.kind === 'person'
        ? section('identity', [
            ['gender', label('gender', client.gender)],
            ['age', text(client.age, ` ${t('clients.units.years')}`)],
            ['birthDate', text(client.birthDate)],
            ['idNumber', text(client.idNumber)],
            ['nativePlace', text(client.nativePlace)],
            ['education', label('education', client.education)],
          ])
        : section('org', [
            ['legalRep', text(org.legalRep)],
            ['contactName', text(org.contactName)],
            ['industry', text(client.industry)],
            ['term', text(org.term)],
            ['businessArea', text(org.businessArea)],
            ['officeAddress', text(org.officeAddress)],
            ['businessScope', text(org.businessScope)],
          ])}
      {section('contact', [
        ['phones', <PhoneList key="p" phones={phones} />],
        ['email', text(client.email)],
        ['fax', text(client.fax)],
        ...(client.kind === 'person' ? ([['address', text(client.address)]] as Array<[Field, ReactNode]>) : []),
      ])}
      {client.kind === 'person' &&
        section('household', [
          ['householdSize', text(client.householdSize, ` ${t('clients.units.people')}`)],
          ['children', children],
        ])}
      {client.kind === 'person' &&
        section('work', [
          ['industry', text(client.industry)],
          ['employer', text(client.employer)],
          ['jobTitle', text(client.jobTitle)],
        ])}
      {section('sales', [
        ['tier', label('tier', client.tier)],
        ['stage', label('stage', client.stage)],
        ['sourceChannel', label('sourceChannel', client.sourceChannel)],
        ['demandType', label('demandType', client.demandType)],
        ['purchaseHorizon', label('horizon', client.purchaseHorizon)],
        ['wealthTier', label('wealthTier', client.wealthTier)],
        ['region', text(client.region)],
        ['community', text(client.community)],
        ['entrustedAgencies', text(client.entrustedOther ? (client.entrustedAgencies ?? t('clients.form.yes')) : t('clients.form.no'))],
      ])}
      {section('tags', [
        ['manualTags', tags(client.manualTags, 'blue')],
        ['behaviourTags', <span key="b" data-testid="behaviour-tags">{tags(client.behaviourTags, 'purple', (tag) => behaviourTagText(t, tag))}</span>],
      ])}
      {section('record', [
        ['code', text(client.code)],
        ['createdAt', text(formatBranchTime(client.createdAt))],
        ['updatedAt', text(formatBranchTime(client.updatedAt))],
      ])}
    </div>
  )
}
