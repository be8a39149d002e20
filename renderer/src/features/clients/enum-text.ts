import type { TFunction } from 'i18next'
import { Tier } from '@shared/domain/client-enums'
import type { ClientsTexts } from './texts.zh'

type ClientEnums = ClientsTexts['enums']
type NeedEnums = ClientsTexts['need']

/** A client enum whose values have labels under `clients.enums` (tier, stage, sourceChannel …). */
export type ClientEnum = keyof ClientEnums
/** A requirement enum whose values have labels under `clients.need` (kind, propertyType, orientation …). */
export type NeedEnum = keyof NeedEnums
export type ClientValue<G extends ClientEnum> = keyof ClientEnums[G] & string
export type NeedValue<G extends NeedEnum> = keyof NeedEnums[G] & string
// every label key, enum by enum: what t() is checked against below. TypeScript cannot follow a
// generic group into a template literal, so the key built from a group and one of its own
// values is named as a member of this union (the signatures pair the two).
type ClientEnumKey = { [G in ClientEnum]: `clients.enums.${G}.${ClientValue<G>}` }[ClientEnum]
type NeedEnumKey = { [G in NeedEnum]: `clients.need.${G}.${NeedValue<G>}` }[NeedEnum]

/** The label of one value of a client enum, e.g. ('sourceChannel', 'walk_in') -> 门店到访 / Walk-in. */
export function clientEnumText<G extends ClientEnum>(t: TFunction, group: G, value: ClientValue<G>): string {
  return t(`clients.enums.${group}.${value}` as ClientEnumKey)
}

/** Select options for values of a client enum, each labelled in the UI language. */
export function clientEnumOptions<G extends ClientEnum, V extends ClientValue<G>>(t: TFunction, group: G, values: readonly V[]): Array<{ value: V; label: string }> {
  return values.map((value) => ({ value, label: clientEnumText(t, group, value) }))
}

/** The label of one value of a requirement enum, e.g. ('orientation', 'south') -> 朝南 / South. */
export function needEnumText<G extends NeedEnum>(t: TFunction, group: G, value: NeedValue<G>): string {
  return t(`clients.need.${group}.${value}` as NeedEnumKey)
}

/** Select options for values of a requirement enum, each labelled in the UI language. */
export function needEnumOptions<G extends NeedEnum, V extends NeedValue<G>>(t: TFunction, group: G, values: readonly V[]): Array<{ value: V; label: string }> {
  return values.map((value) => ({ value, label: needEnumText(t, group, value) }))
}

/** The label of a tier the host sends as a plain string; a value that is no tier stays as it is. */
export function tierText(t: TFunction, tier: string): string {
  const parsed = Tier.safeParse(tier)
  return parsed.success ? t(`clients.enums.tier.${parsed.data}`) : tier
}
