import type { TFunction } from 'i18next'
import { BEHAVIOUR_TAG_RULES, parseBehaviourTag } from '@shared/domain/behaviour-tags'
import { RequirementData } from '@shared/contract/needs'
import { needEnumText } from './enum-text'

const PropertyType = RequirementData.shape.propertyType.unwrap().unwrap()

/** A stored behaviour tag in the UI language (`enquiries:2` -> 近3天咨询2次); a key no rule writes shows as stored. */
export function behaviourTagText(t: TFunction, tag: string): string {
  const parsed = parseBehaviourTag(tag)
  if (!parsed) return tag
  const { kind, value } = parsed
  switch (kind) {
    case 'enquiries':
      return t('clients.behaviourTag.enquiries', { days: BEHAVIOUR_TAG_RULES.enquiries.days, count: Number(value) })
    case 'recentContact':
      return t('clients.behaviourTag.recentContact', { days: BEHAVIOUR_TAG_RULES.recentContact.days })
    case 'prefers':
      if (value === 'school') return t('clients.behaviourTag.prefersSchool')
      if (value === 'metro') return t('clients.behaviourTag.prefersMetro')
      {
      const type = PropertyType.safeParse(value)
      return type.success ? t('clients.behaviourTag.prefersType', { type: needEnumText(t, 'propertyType', type.data) }) : tag
    }
    case 'budgetStretch':
      return t('clients.behaviourTag.budgetStretch')
    case 'withinBudget':
      return t('clients.behaviourTag.withinBudget')
  }
}
