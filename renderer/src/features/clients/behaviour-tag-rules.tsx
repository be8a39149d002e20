import { Alert, Table, Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { BEHAVIOUR_TAG_KINDS, BEHAVIOUR_TAG_RULES, type BehaviourTagKind } from '@shared/domain/behaviour-tags'
import { behaviourTagText } from './behaviour-tag-text'

/** An example of each kind of tag as a profile shows it. */
const EXAMPLE: Record<BehaviourTagKind, string> = {
  enquiries: `enquiries:${BEHAVIOUR_TAG_RULES.enquiries.min}`,
  recentContact: 'recentContact',
  prefers: 'prefers:school',
  budgetStretch: 'budgetStretch',
  withinBudget: 'withinBudget',
}

/** 设置 › 行为标签: every behaviour tag the host writes with its rule and thresholds, read-only (the manager sees why a client carries a tag). */
export function BehaviourTagRules() {
  const { t } = useTranslation()
  const R = BEHAVIOUR_TAG_RULES
  const rule = (kind: BehaviourTagKind): string => {
    switch (kind) {
      case 'enquiries':
        return t('clients.behaviourTag.rules.enquiries', { days: R.enquiries.days, min: R.enquiries.min })
      case 'recentContact':
        return t('clients.behaviourTag.rules.recentContact', { days: R.recentContact.days })
      case 'prefers':
        return t('clients.behaviourTag.rules.prefers')
      case 'budgetStretch':
        return t('clients.behaviourTag.rules.budgetStretch', { days: R.budgetStretch.days, over: R.budgetStretch.overPercent })
      case 'withinBudget':
        return t('clients.behaviourTag.rules.withinBudget', { days: R.withinBudget.days })
    }
  }
  return (
    <div data-testid="behaviour-tag-rules">
      <Alert type="info" showIcon message={t('clients.behaviourTag.rulesHint')} style={{ marginBottom: 16 }} />
      <Table
        size="small"
        rowKey="kind"
        pagination={false}
        dataSource={BEHAVIOUR_TAG_KINDS.map((kind) => ({ kind }))}
        columns={[
          { key: 'tag', title: t('clients.behaviourTag.tag'), width: 220, render: (_, { kind }) => <Tag color="purple">{behaviourTagText(t, EXAMPLE[kind])}</Tag> },
          { key: 'rule', title: t('clients.behaviourTag.rule'), render: (_, { kind }) => rule(kind) },
        ]}
      />
    </div>
  )
}
