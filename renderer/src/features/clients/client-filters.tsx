import { ClearOutlined } from '@ant-design/icons'
import { Button, Checkbox, DatePicker, InputNumber, Select, Space } from 'antd'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { DemandType, SourceChannel, Stage, Tier } from '@shared/domain/client-enums'
import { pickerDayStart, toPicker } from '../../app/branch-picker'
import { compactFilter, hasFilter, type ClientFilter } from './client-list-model'
import { clientEnumOptions } from './enum-text'

export interface OwnerOption {
  value: number
  label: string
}

const UNOWNED = -1

function rangeValue(f: ClientFilter): [Dayjs | null, Dayjs | null] | null {
  if (!f.lastFollowUpAfter && !f.lastFollowUpBefore) return null
  const from = f.lastFollowUpAfter ? toPicker(f.lastFollowUpAfter) : null
  const to = f.lastFollowUpBefore ? toPicker(f.lastFollowUpBefore).subtract(1, 'day') : null
  return [from, to]
}

/**
 * The filter bar of the client list: tier, stage, owner, source, demand, last follow-up,
 * completeness and blacklist. Every control is a labelled antd input, usable by keyboard.
 */
export function ClientFilters({
  value,
  onChange,
  owners,
}: {
  value: ClientFilter
  onChange(f: ClientFilter): void
  /** the agents a manager may filter by; null when this role picks no owner. */
  owners: OwnerOption[] | null
}) {
  const { t } = useTranslation()
  const set = (patch: Partial<ClientFilter>) => onChange(compactFilter({ ...value, ...patch }))
  const ownerValue = [...(value.unowned ? [UNOWNED] : []), ...(value.ownerId ?? [])]
  const blacklist = value.blacklisted === undefined ? 'any' : value.blacklisted ? 'only' : 'none'

  return (
    <Space wrap size={[8, 8]} className="clients-filters">
      <Select
        mode="multiple"
        aria-label={t('clients.fields.tier')}
        placeholder={t('clients.list.anyTier')}
        value={value.tier ?? []}
        onChange={(v) => set({ tier: v })}
        options={clientEnumOptions(t, 'tier', Tier.options)}
        style={{ minWidth: 120 }}
        maxTagCount="responsive"
        allowClear
      />
      <Select
        mode="multiple"
        aria-label={t('clients.fields.stage')}
        placeholder={t('clients.list.anyStage')}
        value={value.stage ?? []}
        onChange={(v) => set({ stage: v })}
        options={clientEnumOptions(t, 'stage', Stage.options)}
        style={{ minWidth: 120 }}
        maxTagCount="responsive"
        allowClear
      />
      {owners && (
        <Select<number[]>
          mode="multiple"
          aria-label={t('clients.fields.owner')}
          placeholder={t('clients.list.anyOwner')}
          value={ownerValue}
          onChange={(v) => set({ unowned: v.includes(UNOWNED) ? true : undefined, ownerId: v.filter((id) => id !== UNOWNED) })}
          options={[{ value: UNOWNED, label: t('clients.list.unowned') }, ...owners]}
          optionFilterProp="label"
          style={{ minWidth: 140 }}
          maxTagCount="responsive"
          allowClear
        />
      )}
      <Select
        mode="multiple"
        aria-label={t('clients.fields.sourceChannel')}
        placeholder={t('clients.list.anySource')}
        value={value.sourceChannel ?? []}
        onChange={(v) => set({ sourceChannel: v })}
        options={clientEnumOptions(t, 'sourceChannel', SourceChannel.options)}
        style={{ minWidth: 120 }}
        maxTagCount="responsive"
        allowClear
      />
      <Select
        mode="multiple"
        aria-label={t('clients.fields.demandType')}
        placeholder={t('clients.list.anyDemand')}
        value={value.demandType ?? []}
        onChange={(v) => set({ demandType: v })}
        options={clientEnumOptions(t, 'demandType', DemandType.options)}
        style={{ minWidth: 120 }}
        maxTagCount="responsive"
        allowClear
      />
      <DatePicker.RangePicker
        aria-label={t('clients.list.followUpRange')}
        placeholder={[t('clients.list.followUpRange'), '']}
        value={rangeValue(value)}
        allowEmpty={[true, true]}
        disabled={value.neverFollowedUp === true}
        onChange={(r) =>
          set({
            lastFollowUpAfter: r?.[0] ? pickerDayStart(r[0]) : undefined,
            lastFollowUpBefore: r?.[1] ? pickerDayStart(r[1].add(1, 'day')) : undefined,
          })
        }
        style={{ width: 250 }}
      />
      <Checkbox
        checked={value.neverFollowedUp === true}
        onChange={(e) =>
          set(e.target.checked ? { neverFollowedUp: true, lastFollowUpAfter: undefined, lastFollowUpBefore: undefined } : { neverFollowedUp: undefined })
        }
      >
        {t('clients.list.neverFollowedUp')}
      </Checkbox>
      <Space.Compact>
        <InputNumber
          aria-label={t('clients.list.completenessMin')}
          addonBefore={t('clients.list.completenessMin')}
          min={0}
          max={100}
          precision={0}
          value={value.completenessMin ?? null}
          onChange={(v) => set({ completenessMin: v ?? undefined })}
          style={{ width: 150 }}
        />
        <InputNumber
          aria-label={`${t('clients.fields.completeness')} ${t('clients.list.completenessMax')}`}
          addonBefore={t('clients.list.completenessMax')}
          addonAfter="%"
          min={0}
          max={100}
          precision={0}
          value={value.completenessMax ?? null}
          onChange={(v) => set({ completenessMax: v ?? undefined })}
          style={{ width: 130 }}
        />
      </Space.Compact>
      <Select
        aria-label={t('clients.fields.blacklisted')}
        value={blacklist}
        onChange={(v) => set({ blacklisted: v === 'any' ? undefined : v === 'only' })}
        options={[
          { value: 'any', label: t('clients.list.blacklistAny') },
          { value: 'only', label: t('clients.list.blacklistOnly') },
          { value: 'none', label: t('clients.list.blacklistNone') },
        ]}
        style={{ width: 130 }}
      />
      <Button icon={<ClearOutlined />} disabled={!hasFilter(value)} onClick={() => onChange({})}>
        {t('clients.list.clearFilters')}
      </Button>
    </Space>
  )
}
