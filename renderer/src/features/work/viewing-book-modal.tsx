import { App, DatePicker, Form, Input, Radio, Select } from 'antd'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Viewing } from '@shared/contract/viewings'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { WORK_SAVE_TEXTS } from './work-errors'
import { branchNowPicker, fromPicker } from '../../app/branch-picker'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'
import { UnitPicker } from './unit-picker'

export type ViewingData = z.infer<typeof Viewing>

interface Values {
  placeKind: 'address' | 'unit'
  address?: string
  unitId?: number
  startsAt: Dayjs
  minutes: number
}

const DURATIONS = [30, 45, 60, 90, 120]

/** The next whole half hour from now, in branch time: a sensible first guess for a viewing. */
function nextHalfHour(): Dayjs {
  const now = branchNowPicker().second(0).millisecond(0)
  return now.add(30 - (now.minute() % 30), 'minute')
}

/**
 * 预约带看: a place (an address or a unit of the board), a start and a length. Clashes with the
 * agent's, the client's or the unit's other bookings come back as CONFLICT and show under the time.
 */
export function ViewingBookModal({
  clientId,
  clientName,
  onClose,
  onBooked,
}: {
  clientId: number
  clientName: string
  onClose(): void
  onBooked(v: ViewingData): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const placeKind = Form.useWatch('placeKind', form) ?? 'address'

  const save = useFormSave(form, {
    save: (v) => {
      const startsAt = fromPicker(v.startsAt.second(0).millisecond(0))
      return api.try('viewings.book', {
        clientId,
        address: v.placeKind === 'address' ? v.address?.trim() : undefined,
        unitId: v.placeKind === 'unit' ? v.unitId : undefined,
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + v.minutes * 60_000).toISOString(),
      })
    },
    saved: (booked) => {
      void message.success(t('work.viewing.booked', { time: formatBranchTime(booked.startsAt) }))
      onBooked(booked)
    },
    close: onClose,
    texts: WORK_SAVE_TEXTS,
  })

  return (
    <Dialog
      open
      title={t('work.viewing.bookTitle', { name: clientName })}
      okText={t('work.viewing.book')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
      modalRender={(dom) => (
        <Form
          form={form}
          name="viewing"
          layout="vertical"
          requiredMark={false}
          initialValues={{ placeKind: 'address', minutes: 60, startsAt: nextHalfHour() }}
          onFinish={save.submit}
        >
          {dom}
        </Form>
      )}
    >
      {save.problem}
      <Form.Item name="placeKind" label={t('work.viewing.placeKind')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'address', label: t('work.viewing.byAddress') },
            { value: 'unit', label: t('work.viewing.byUnit') },
          ]}
        />
      </Form.Item>
      {placeKind === 'address' ? (
        <Form.Item
          name="address"
          label={t('work.viewing.address')}
          rules={[
            { required: true, whitespace: true, message: t('work.errors.viewing_place') },
            { min: 2, message: t('validation.too_small', { minimum: 2 }) },
          ]}
        >
          <Input maxLength={200} placeholder={t('work.viewing.addressPlaceholder')} data-autofocus />
        </Form.Item>
      ) : (
        <Form.Item name="unitId" label={t('work.viewing.unitId')} rules={[{ required: true, message: t('work.errors.viewing_place') }]}>
          <UnitPicker />
        </Form.Item>
      )}
      <div className="work-form-grid">
        <Form.Item
          name="startsAt"
          label={t('work.viewing.startsAt')}
          rules={[{ required: true, message: t('work.validation.choose', { field: t('work.viewing.startsAt') }) }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm', minuteStep: 5 }}
            needConfirm={false}
            format="YYYY-MM-DD HH:mm"
            style={{ width: '100%' }}
            disabledDate={(d) => d.isBefore(branchNowPicker(), 'day')}
          />
        </Form.Item>
        <Form.Item name="minutes" label={t('work.viewing.duration')}>
          <Select options={DURATIONS.map((m) => ({ value: m, label: t('work.viewing.durationMinutes', { count: m }) }))} />
        </Form.Item>
      </div>
    </Dialog>
  )
}
