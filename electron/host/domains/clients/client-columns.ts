import type { Updateable } from 'kysely'
import type { z } from 'zod'
import type { ClientUpdateInput } from '@shared/contract/clients'
import { birthMonthDay } from '@shared/domain/birthdays'
import { foldKey } from '@shared/domain/text-kinds'
import type { ClientsTable } from '../../db/schema'

type ProfileInput = Omit<z.output<typeof ClientUpdateInput>, 'id' | 'version' | 'phones'>

/** Column for each profile field; used for writes and to name what changed in a stale write. */
export const FIELD_COLUMNS = {
  name: 'name',
  gender: 'gender',
  age: 'age',
  birthDate: 'birth_date',
  idNumber: 'id_number',
  nativePlace: 'native_place',
  address: 'address',
  fax: 'fax',
  email: 'email',
  householdSize: 'household_size',
  children: 'children',
  industry: 'industry',
  employer: 'employer',
  jobTitle: 'job_title',
  education: 'education',
  sourceChannel: 'source_channel',
  tier: 'tier',
  stage: 'stage',
  demandType: 'demand_type',
  wealthTier: 'wealth_tier',
  purchaseHorizon: 'purchase_horizon',
  region: 'region',
  community: 'community',
  entrustedOther: 'entrusted_other',
  entrustedAgencies: 'entrusted_agencies',
  blacklisted: 'blacklisted',
  blacklistReason: 'blacklist_reason',
  manualTags: 'manual_tags',
  'org.officeAddress': 'org_office_address',
  'org.businessScope': 'org_business_scope',
  'org.businessArea': 'org_business_area',
  'org.legalRep': 'org_legal_rep',
  'org.term': 'org_term',
  'org.contactName': 'org_contact_name',
} as const satisfies Record<string, keyof ClientsTable>

const empty = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim())

/** The columns a (partial) profile input sets; undefined fields are left alone, null clears. */
export function profileColumns(p: ProfileInput): Updateable<ClientsTable> {
  const cols: Updateable<ClientsTable> = {
    name: p.name,
    gender: p.gender,
    age: p.age,
    birth_date: p.birthDate === undefined ? undefined : p.birthDate || null,
    birth_md: p.birthDate === undefined ? undefined : p.birthDate ? birthMonthDay(p.birthDate) : null,
    native_place: empty(p.nativePlace),
    address: empty(p.address),
    fax: empty(p.fax),
    email: empty(p.email),
    household_size: p.householdSize,
    children: p.children === undefined ? undefined : JSON.stringify(p.children),
    industry: empty(p.industry),
    employer: empty(p.employer),
    job_title: empty(p.jobTitle),
    education: p.education,
    source_channel: p.sourceChannel,
    tier: p.tier,
    stage: p.stage,
    demand_type: p.demandType,
    wealth_tier: p.wealthTier,
    purchase_horizon: p.purchaseHorizon,
    region: empty(p.region),
    community: empty(p.community),
    entrusted_other: p.entrustedOther === undefined ? undefined : p.entrustedOther ? 1 : 0,
    entrusted_agencies: empty(p.entrustedAgencies),
    blacklisted: p.blacklisted === undefined ? undefined : p.blacklisted ? 1 : 0,
    blacklist_reason: empty(p.blacklistReason),
    manual_tags: p.manualTags === undefined ? undefined : JSON.stringify([...new Set(p.manualTags)]),
  }
  if (p.org !== undefined) {
    const o = p.org
    Object.assign(cols, {
      org_office_address: empty(o?.officeAddress ?? null),
      org_business_scope: empty(o?.businessScope ?? null),
      org_business_area: empty(o?.businessArea ?? null),
      org_legal_rep: empty(o?.legalRep ?? null),
      org_term: empty(o?.term ?? null),
      org_contact_name: empty(o?.contactName ?? null),
    })
  }
  for (const k of Object.keys(cols) as Array<keyof typeof cols>) if (cols[k] === undefined) delete cols[k]
  return cols
}

/**
 * Organisation names compared without spaces, punctuation, case, width, invisible characters
 * (zero-width, bidi, control: foldKey) or the legal-form suffix.
 */
export function orgNameKey(name: string): string {
  return foldKey(name)
    .replace(/[()（）·.,，、"'“”-]/g, '')
    .replace(/(股份)?有限(责任)?公司$|公司$/, '')
}
