import type { z } from 'zod'
import type { ClientCreateInput, ClientProfile } from '@shared/contract/clients'
import { orNull } from './client-format'

type CreateInput = z.input<typeof ClientCreateInput>
type Child = NonNullable<CreateInput['children']>[number]

/** What the client form holds; field paths match the API's so server errors land on their field. */
export interface ClientFormValues {
  kind: 'person' | 'org'
  name?: string
  phones?: Array<{ number?: string; label?: string | null }>
  ownerId?: number | null
  sourceChannel?: CreateInput['sourceChannel']
  tier?: NonNullable<CreateInput['tier']>
  stage?: NonNullable<CreateInput['stage']>
  demandType?: CreateInput['demandType']
  purchaseHorizon?: CreateInput['purchaseHorizon']
  wealthTier?: CreateInput['wealthTier']
  region?: string | null
  community?: string | null
  gender?: CreateInput['gender']
  age?: number | null
  birthDate?: string | null
  idNumber?: string | null
  nativePlace?: string | null
  address?: string | null
  email?: string | null
  fax?: string | null
  householdSize?: number | null
  children?: Array<Partial<Child>>
  industry?: string | null
  employer?: string | null
  jobTitle?: string | null
  education?: CreateInput['education']
  org?: Partial<Record<'officeAddress' | 'businessScope' | 'businessArea' | 'legalRep' | 'term' | 'contactName', string | null>>
  entrustedOther?: boolean
  entrustedAgencies?: string | null
  manualTags?: string[]
}

/** The profile fields of the API from the form (without kind, phones and owner). */
export function profileInput(v: ClientFormValues) {
  const org = v.org ?? {}
  return {
    name: v.name?.trim() ?? '',
    sourceChannel: v.sourceChannel ?? 'other',
    tier: v.tier ?? 'potential',
    stage: v.stage ?? 'potential',
    demandType: v.demandType ?? null,
    purchaseHorizon: v.purchaseHorizon ?? null,
    wealthTier: v.wealthTier ?? null,
    region: orNull(v.region),
    community: orNull(v.community),
    gender: v.kind === 'person' ? (v.gender ?? null) : null,
    age: v.kind === 'person' ? (v.age ?? null) : null,
    birthDate: v.kind === 'person' ? orNull(v.birthDate) : null,
    idNumber: v.kind === 'person' ? orNull(v.idNumber) : null,
    nativePlace: v.kind === 'person' ? orNull(v.nativePlace) : null,
    address: v.kind === 'person' ? orNull(v.address) : null,
    email: orNull(v.email),
    fax: orNull(v.fax),
    householdSize: v.kind === 'person' ? (v.householdSize ?? null) : null,
    children:
      v.kind === 'person'
        ? (v.children ?? []).filter((c): c is Child => typeof c.age === 'number' && c.schooling !== undefined).map((c) => ({ age: c.age, schooling: c.schooling }))
        : [],
    industry: orNull(v.industry),
    employer: v.kind === 'person' ? orNull(v.employer) : null,
    jobTitle: v.kind === 'person' ? orNull(v.jobTitle) : null,
    education: v.kind === 'person' ? (v.education ?? null) : null,
    org:
      v.kind === 'org'
        ? {
            officeAddress: orNull(org.officeAddress),
            businessScope: orNull(org.businessScope),
            businessArea: orNull(org.businessArea),
            legalRep: orNull(org.legalRep),
            term: orNull(org.term),
            contactName: orNull(org.contactName),
          }
        : null,
    entrustedOther: v.entrustedOther === true,
    entrustedAgencies: v.entrustedOther ? orNull(v.entrustedAgencies) : null,
    manualTags: (v.manualTags ?? []).map((s) => s.trim()).filter((s) => s !== ''),
  }
}

export type ProfileInput = ReturnType<typeof profileInput>

/** The phones of the form as the API takes them (empty rows dropped). */
export function phonesInput(v: ClientFormValues): Array<{ number: string; label: string | null }> {
  return (v.phones ?? []).filter((p) => (p.number ?? '').trim() !== '').map((p) => ({ number: (p.number ?? '').trim(), label: orNull(p.label) }))
}

/** A stored profile as form values, for editing. */
export function formValuesOf(p: ClientProfile): ClientFormValues {
  return {
    kind: p.kind,
    name: p.name,
    phones: p.phones.map((ph) => ({ number: ph.display, label: ph.label })),
    sourceChannel: p.sourceChannel,
    tier: p.tier,
    stage: p.stage,
    demandType: p.demandType,
    purchaseHorizon: p.purchaseHorizon,
    wealthTier: p.wealthTier,
    region: p.region,
    community: p.community,
    gender: p.gender,
    age: p.age,
    birthDate: p.birthDate,
    idNumber: p.idNumber,
    nativePlace: p.nativePlace,
    address: p.address,
    email: p.email,
    fax: p.fax,
    householdSize: p.householdSize,
    children: p.children,
    industry: p.industry,
    employer: p.employer,
    jobTitle: p.jobTitle,
    education: p.education,
    org: p.org ?? {},
    entrustedOther: p.entrustedOther,
    entrustedAgencies: p.entrustedAgencies,
    manualTags: p.manualTags,
  }
}

/** The profile fields whose value differs between two inputs (what an edit actually changes). */
export function changedFields(before: ProfileInput, after: ProfileInput): Array<keyof ProfileInput> {
  return (Object.keys(after) as Array<keyof ProfileInput>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}
