import type { ClientProfile, ClientRow } from '@shared/contract/clients'
import { clientAccess, isCollaborator, mayEditClient, seesFullPhones, type ClientOwnership, type Viewer } from '@shared/domain/client-access'
import { maskPhone } from '@shared/domain/client-phone'
import { maskIdNumber } from '@shared/domain/id-number'
import { completeness, type CompletenessField } from '@shared/domain/completeness'
import type { SessionInfo } from '../../api/handler'
import type { ClientRecord, ClientRowRecord } from './clients.repository'

type Enum<T extends keyof ClientProfile> = NonNullable<ClientProfile[T]>

export function viewerOf(s: SessionInfo): Viewer {
  return { staffId: s.staffId, role: s.role, team: s.team }
}

/** A stored client's owner, team and collaborators (when read with them), as the access rules read them. */
export function ownershipOf(r: { owner_id: number | null; owner_team: string | null; collaborator_ids?: string | null }): ClientOwnership {
  const collaboratorIds = r.collaborator_ids ? r.collaborator_ids.split(',').map(Number) : []
  return { ownerId: r.owner_id, ownerTeam: r.owner_team, collaboratorIds }
}

/** A row's owner as it shows: who they are and their phone (null: a pool client). */
export function ownerRef(ownerId: number | null, name: string | null, phone: string | null) {
  return ownerId === null ? null : { id: ownerId, name: name ?? '', phone }
}

/** A client's primary phone as a viewer is shown it: whole to its owner, masked to anyone else. */
export function shownPhone(primary: string | null, viewer: Viewer, ownership: ClientOwnership): string | null {
  return primary === null ? null : seesFullPhones(viewer, ownership) ? primary : maskPhone(primary)
}

/** A grid/search row: the basics everyone may see, the phone masked unless the viewer owns the client. */
export function toClientRow(r: ClientRowRecord, viewer: Viewer): ClientRow {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind as ClientRow['kind'],
    name: r.name,
    phone: shownPhone(r.primary_phone, viewer, ownershipOf(r)),
    tier: r.tier as ClientRow['tier'],
    stage: r.stage as ClientRow['stage'],
    owner: ownerRef(r.owner_id, r.owner_name, r.owner_phone),
    region: r.region,
    community: r.community,
    sourceChannel: r.source_channel as ClientRow['sourceChannel'],
    demandType: r.demand_type as ClientRow['demandType'],
    lastFollowUpAt: r.last_follow_up_at,
    protectedUntil: r.protected_until,
    completeness: r.completeness,
    blacklisted: r.blacklisted === 1,
    blacklistReason: r.blacklist_reason,
    createdAt: r.created_at,
  }
}

export interface PhoneRecord {
  id: number
  display: string
  kind: string
  label: string | null
}

/** The values completeness looks at, from a stored row. */
export function completenessValues(r: ClientRecord, phoneCount: number, needCount: number): Partial<Record<CompletenessField, unknown>> {
  return {
    name: r.name,
    phones: phoneCount > 0 ? 1 : null,
    sourceChannel: r.source_channel,
    region: r.region,
    demandType: r.demand_type,
    purchaseHorizon: r.purchase_horizon,
    needs: needCount > 0 ? 1 : null,
    gender: r.gender,
    age: r.age,
    'org.legalRep': r.org_legal_rep,
    'org.contactName': r.org_contact_name,
    'org.officeAddress': r.org_office_address,
    address: r.address,
    employer: r.employer,
    industry: r.industry,
    wealthTier: r.wealth_tier,
    householdSize: r.household_size,
    community: r.community,
  }
}

/** The profile as this viewer may see it: full access shows everything, basic only the row fields. */
export function toProfile(r: ClientRecord, phones: readonly PhoneRecord[], needCount: number, viewer: Viewer, revealed = false): ClientProfile {
  const access = clientAccess(viewer, ownershipOf(r))
  const fullPhones = revealed || seesFullPhones(viewer, ownershipOf(r))
  const full = access === 'full'
  const { missing } = completeness({ kind: r.kind as 'person' | 'org', tier: r.tier as ClientProfile['tier'], values: completenessValues(r, phones.length, needCount) })
  const hide = <T>(v: T): T | null => (full ? v : null)
  return {
    ...toClientRow(r, viewer),
    access,
    collaborator: isCollaborator(viewer, ownershipOf(r)) && !mayEditClient(viewer, ownershipOf(r)),
    version: r.version,
    phones: phones.map((p) => ({ id: p.id, display: fullPhones ? p.display : maskPhone(p.display), kind: p.kind, label: p.label, masked: !fullPhones })),
    gender: hide(r.gender as Enum<'gender'> | null),
    age: hide(r.age),
    birthDate: hide(r.birth_date),
    idNumber: full && r.id_number !== null ? (fullPhones ? r.id_number : maskIdNumber(r.id_number)) : null,
    nativePlace: hide(r.native_place),
    address: full ? r.address : null,
    fax: hide(r.fax),
    email: hide(r.email),
    householdSize: hide(r.household_size),
    children: full ? (JSON.parse(r.children) as ClientProfile['children']) : [],
    industry: hide(r.industry),
    employer: hide(r.employer),
    jobTitle: hide(r.job_title),
    education: hide(r.education as Enum<'education'> | null),
    org:
      r.kind === 'org' && full
        ? {
            officeAddress: r.org_office_address,
            businessScope: r.org_business_scope,
            businessArea: r.org_business_area,
            legalRep: r.org_legal_rep,
            term: r.org_term,
            contactName: r.org_contact_name,
          }
        : null,
    wealthTier: hide(r.wealth_tier as Enum<'wealthTier'> | null),
    purchaseHorizon: hide(r.purchase_horizon as Enum<'purchaseHorizon'> | null),
    entrustedOther: r.entrusted_other === 1,
    entrustedAgencies: r.entrusted_agencies,
    manualTags: JSON.parse(r.manual_tags) as string[],
    behaviourTags: JSON.parse(r.behaviour_tags) as string[],
    missingFields: full ? missing : [],
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    lostReason: r.lost_reason,
    lostAt: r.lost_at,
  }
}
