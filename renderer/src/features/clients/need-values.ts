import type { TFunction } from 'i18next'
import type { RequirementData } from '@shared/contract/needs'
import { needEnumText, type NeedEnum, type NeedValue } from './enum-text'
import type { ClientsTexts } from './texts.zh'
import { areaToM2, fenToWan, fenToYuan, m2ToArea, orNull, plainNumber, wanToFen, yuanToFen } from './client-format'

type Amenity = 'school' | 'metro' | 'mall' | 'club'
export const AMENITIES: readonly Amenity[] = ['school', 'metro', 'mall', 'club']

/**
 * A requirement as the form holds it: areas in m², total prices in 万元, unit prices in 元/m²
 * (the API keeps 0.01 m² and fen); names match the API so server errors land on their field.
 */
export interface NeedFormValues {
  kind: RequirementData['kind']
  regions?: string[]
  propertyType?: RequirementData['propertyType']
  layout?: string | null
  areaMin?: number | null
  areaMax?: number | null
  bedroomsMin?: number | null
  bedroomsMax?: number | null
  bathroomsMin?: number | null
  floorMin?: number | null
  floorMax?: number | null
  view?: string | null
  orientation?: RequirementData['orientation']
  parking?: 'yes' | 'no' | null
  decoration?: RequirementData['decoration']
  unitPriceMin?: number | null
  unitPriceMax?: number | null
  totalPriceMin?: number | null
  totalPriceMax?: number | null
  payment?: RequirementData['payment']
  loanType?: RequirementData['loanType']
  mortgageRatio?: number | null
  amenities?: Amenity[]
  grade?: RequirementData['grade']
  facilities?: string | null
  note?: string | null
}

/** The API's requirement from the form, in stored units. */
export function needInput(v: NeedFormValues): RequirementData {
  const amenities: Partial<Record<Amenity, boolean>> = {}
  for (const a of AMENITIES) if (v.amenities?.includes(a)) amenities[a] = true
  return {
    kind: v.kind,
    regions: (v.regions ?? []).map((r) => r.trim()).filter((r) => r !== ''),
    propertyType: v.propertyType ?? null,
    layout: orNull(v.layout),
    areaMin: m2ToArea(v.areaMin),
    areaMax: m2ToArea(v.areaMax),
    bedroomsMin: v.bedroomsMin ?? null,
    bedroomsMax: v.bedroomsMax ?? null,
    bathroomsMin: v.bathroomsMin ?? null,
    floorMin: v.floorMin ?? null,
    floorMax: v.floorMax ?? null,
    view: orNull(v.view),
    orientation: v.orientation ?? null,
    parking: v.parking === 'yes' ? true : v.parking === 'no' ? false : null,
    decoration: v.decoration ?? null,
    unitPriceMin: yuanToFen(v.unitPriceMin),
    unitPriceMax: yuanToFen(v.unitPriceMax),
    totalPriceMin: wanToFen(v.totalPriceMin),
    totalPriceMax: wanToFen(v.totalPriceMax),
    payment: v.payment ?? null,
    loanType: v.payment === 'loan' ? (v.loanType ?? null) : null,
    mortgageRatio: v.payment === 'loan' ? (v.mortgageRatio ?? null) : null,
    amenities,
    grade: v.kind === 'commercial' ? (v.grade ?? null) : null,
    facilities: v.kind === 'commercial' ? orNull(v.facilities) : null,
    note: orNull(v.note),
  }
}

/** A stored requirement as form values, in display units. */
export function needFormValues(d: Partial<RequirementData>): NeedFormValues {
  return {
    kind: d.kind ?? 'residential',
    regions: d.regions ?? [],
    propertyType: d.propertyType ?? null,
    layout: d.layout ?? null,
    areaMin: areaToM2(d.areaMin),
    areaMax: areaToM2(d.areaMax),
    bedroomsMin: d.bedroomsMin ?? null,
    bedroomsMax: d.bedroomsMax ?? null,
    bathroomsMin: d.bathroomsMin ?? null,
    floorMin: d.floorMin ?? null,
    floorMax: d.floorMax ?? null,
    view: d.view ?? null,
    orientation: d.orientation ?? null,
    parking: d.parking === true ? 'yes' : d.parking === false ? 'no' : null,
    decoration: d.decoration ?? null,
    unitPriceMin: fenToYuan(d.unitPriceMin),
    unitPriceMax: fenToYuan(d.unitPriceMax),
    totalPriceMin: fenToWan(d.totalPriceMin),
    totalPriceMax: fenToWan(d.totalPriceMax),
    payment: d.payment ?? null,
    loanType: d.loanType ?? null,
    mortgageRatio: d.mortgageRatio ?? null,
    amenities: AMENITIES.filter((a) => d.amenities?.[a]),
    grade: d.grade ?? null,
    facilities: d.facilities ?? null,
    note: d.note ?? null,
  }
}

/** One line per requirement a clerk can read aloud: 住宅 · 浦东 · 90–120 m² · 总价 500–800 万元 … */
export function needSummary(t: TFunction, lang: string, d: Partial<RequirementData>): string[] {
  const num = (v: number) => plainNumber(v, lang)
  const range = (lo: number | null | undefined, hi: number | null | undefined, unit: string, conv: (v: number) => number = (v) => v) => {
    const a = lo == null ? null : num(conv(lo))
    const b = hi == null ? null : num(conv(hi))
    const sep = /^[a-zA-Z×]/.test(unit) || unit === 'm²' ? ' ' : ''
    if (a !== null && b !== null) return `${t('clients.needs.between', { min: a, max: b })}${sep}${unit}`
    if (a !== null) return t('clients.needs.atLeast', { value: `${a}${sep}${unit}` })
    if (b !== null) return t('clients.needs.atMost', { value: `${b}${sep}${unit}` })
    return null
  }
  const label = <G extends NeedEnum>(group: G, v: NeedValue<G> | null | undefined) => (v ? needEnumText(t, group, v) : null)
  const field = (k: keyof ClientsTexts['fields'], v: string | null) => (v ? `${t(`clients.fields.${k}`)} ${v}` : null)
  const u = (k: keyof ClientsTexts['units']) => t(`clients.units.${k}`)
  const amen = AMENITIES.filter((a) => d.amenities?.[a]).map((a) => t(`clients.need.amenities.${a}`))
  return [
    label('kind', d.kind),
    label('propertyType', d.propertyType),
    d.regions?.length ? d.regions.join(t('common.listSeparator')) : null,
    d.layout ?? null,
    field('area', range(d.areaMin, d.areaMax, u('m2'), (v) => v / 100)),
    field('bedrooms', range(d.bedroomsMin, d.bedroomsMax, u('rooms'))),
    d.bathroomsMin != null ? `${t('clients.fields.bathroomsMin')} ${d.bathroomsMin}` : null,
    field('floor', range(d.floorMin, d.floorMax, u('floor'))),
    field('totalPrice', range(d.totalPriceMin, d.totalPriceMax, u('wan'), (v) => v / 1_000_000)),
    field('unitPrice', range(d.unitPriceMin, d.unitPriceMax, u('yuanPerM2'), (v) => v / 100)),
    label('orientation', d.orientation),
    label('decoration', d.decoration),
    d.parking == null ? null : t(`clients.need.parking.${d.parking ? 'yes' : 'no'}`),
    label('payment', d.payment),
    label('loanType', d.loanType),
    d.mortgageRatio != null ? `${t('clients.fields.mortgageRatio')} ${d.mortgageRatio}%` : null,
    d.view ? `${t('clients.fields.view')} ${d.view}` : null,
    amen.length ? amen.join(t('common.listSeparator')) : null,
    label('grade', d.grade),
    d.facilities ?? null,
  ].filter((s): s is string => s !== null && s !== '')
}
