import { WarningOutlined } from '@ant-design/icons'
import { Alert, Button, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { SourceChannel } from '@shared/domain/client-enums'
import { useApi } from '../../api/session-context'
import { textRule } from '../../app/text-rules'
import { phoneDigitCount, useDuplicateCheck } from '../clients/use-duplicate-check'
import { useFormSave } from '../../app/use-form-save'
import { DESK_SAVE_TEXTS, deskErrorText } from './desk-errors'
import { cardNumberText, protectionText } from './desk-format'
import { Dialog } from '../../app/dialog'
import { cardNotGiven, saveWalkIn, type WalkInClient } from './walk-in-save'
import { CampaignField, campaignInput } from '../campaigns/campaign-field'

type Match = OutputOf<'clients.checkDuplicate'>['matches'][number]

interface Values {
  name: string
  gender?: 'male' | 'female'
  phone: string
  sourceChannel: SourceChannel
}

interface Props {
  open: boolean
  /** the unknown card to give the new client, if they came with one. */
  cardUid: string | null
  onClose(): void
  /** the client was registered: given the card (`issued`), with no card to give (`none`), or left without it (`notIssued`). */
  onDone(clientId: number, card: 'none' | 'issued' | 'notIssued'): void
  /** the phone belongs to a client on file: show that one (and give them the card) instead. */
  onUseExisting(clientId: number): void
}

/** Turns a DUPLICATE error of clients.create into the match it names. */
function matchOfError(e: ApiErrorShape): Match | null {
  const p = e.params ?? {}
  if (e.code !== 'DUPLICATE' || typeof p.clientId !== 'number') return null
  return {
    clientId: p.clientId,
    code: String(p.code ?? ''),
    name: String(p.name ?? ''),
    owner: p.ownerName ? { id: 0, name: String(p.ownerName), phone: null } : null,
    protectedUntil: p.protectedUntil ? String(p.protectedUntil) : null,
    blacklisted: false,
    matchedOn: 'phone',
    phoneIndex: 0,
    isMine: false,
  }
}

/** 散客登记: name and phone of a walk-in, checked live against clients on file (防撞单). */
export function WalkInModal({ open, cardUid, onClose, onDone, onUseExisting }: Props) {
  const { t } = useTranslation()
  const api = useApi()
  const [form] = Form.useForm<Values>()
  const phone = Form.useWatch('phone', form)
  // the client a refused create named (DUPLICATE), until the phone changes
  const [refusedAs, setRefusedAs] = useState<Match | null>(null)
  // registered, but the card was not given: the dialog stays on the card step with why
  const [cardStep, setCardStep] = useState<{ client: WalkInClient; error: ApiErrorShape } | null>(null)
  const save = useFormSave(form, {
    save: (v) =>
      saveWalkIn(
        {
          create: () =>
            api.try('clients.create', {
              kind: 'person',
              name: v.name,
              gender: v.gender ?? null,
              phones: [{ number: v.phone }],
              sourceChannel: v.sourceChannel,
              ...campaignInput(form),
            }),
          issue: (clientId, uid) => api.try('cards.issue', { clientId, read: { uid } }),
        },
        cardUid,
        cardStep?.client ?? null,
      ),
    saved: ({ client, card }) => {
      if (typeof card === 'object') setCardStep({ client, error: card.failed })
      else onDone(client.id, card)
    },
    staysOpen: cardNotGiven,
    refused: (e) => {
      const m = matchOfError(e)
      if (m) setRefusedAs(m)
      // the host names phones.0.number; the dialog has one phone field
      else if (e.field?.startsWith('phones')) form.setFields([{ name: 'phone', errors: [deskErrorText(t, e)] }])
      return m !== null || e.field?.startsWith('phones') === true
    },
    // no close: onDone closes it (and opens the client)
    texts: DESK_SAVE_TEXTS,
  })

  useEffect(() => {
    if (!open) return
    form.resetFields()
    setRefusedAs(null)
    setCardStep(null)
  }, [open, form])

  // 防撞单 while typing: who already has this phone, their owner and protection (full-width
  // digits from an IME count too; the host reads (+86), dots and dashes itself)
  const digits = phoneDigitCount(phone ?? '')
  const check = useDuplicateCheck([phone ?? ''], undefined, open && digits >= 7 && cardStep === null)
  useEffect(() => setRefusedAs(null), [phone])
  const matches = cardStep ? [] : refusedAs ? [refusedAs] : check.matches
  const invalidPhone = check.invalid.length > 0 && digits >= 11
  // too many lookups: say so (and how long to wait) instead of looking like no duplicate
  const rateLimited = !cardStep && check.error?.code === 'RATE_LIMITED' ? deskErrorText(t, check.error) : null
  const okText = cardStep ? t('frontDesk.walkIn.issueAgain') : cardUid ? t('frontDesk.walkIn.submitWithCard') : t('frontDesk.walkIn.submit')

  return (
    <Dialog
      focusTriggerAfterClose={false}
      open={open}
      title={cardUid ? t('frontDesk.walkIn.titleWithCard', { uid: cardNumberText(cardUid) }) : t('frontDesk.walkIn.title')}
      // on the card step the client exists: closing leaves them without the card, which the page says
      onCancel={
        cardStep
          ? () => onDone(cardStep.client.id, 'notIssued')
          : () => {
              save.cancel()
              onClose()
            }
      }
      okText={okText}
      cancelText={cardStep ? t('frontDesk.walkIn.closeWithoutCard') : t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.saving}
      destroyOnHidden
      width={560}
    >
      {cardStep && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          data-testid="walk-in-card-failed"
          message={t('frontDesk.walkIn.issueFailed', { name: cardStep.client.name, error: deskErrorText(t, cardStep.error) })}
          description={t('frontDesk.walkIn.issueAgainHint')}
        />
      )}
      {save.problem}
      <Form<Values>
        form={form}
        layout="vertical"
        name="walkIn"
        disabled={cardStep !== null}
        onFinish={save.submit}
        initialValues={{ sourceChannel: 'walk_in' }}
        requiredMark={false}
      >
        <Form.Item name="name" label={t('frontDesk.walkIn.name')} rules={[{ required: true, whitespace: true, message: t('frontDesk.walkIn.nameRequired') }, textRule(t, 'name')]}>
          <Input maxLength={80} placeholder={t('frontDesk.walkIn.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="gender" label={t('frontDesk.walkIn.gender')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'male', label: t('frontDesk.walkIn.male') },
              { value: 'female', label: t('frontDesk.walkIn.female') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('frontDesk.walkIn.phone')}
          rules={[{ required: true, whitespace: true, message: t('frontDesk.walkIn.phoneRequired') }]}
          validateStatus={invalidPhone ? 'warning' : undefined}
          help={invalidPhone ? t('frontDesk.walkIn.phoneInvalid') : undefined}
        >
          <Input inputMode="tel" maxLength={40} placeholder={t('frontDesk.walkIn.phonePlaceholder')} />
        </Form.Item>
        {matches.length > 0 && (
          <Alert
            type="warning"
            showIcon
            icon={<WarningOutlined />}
            className="desk-duplicate"
            data-testid="walk-in-duplicate"
            message={t('frontDesk.walkIn.duplicateTitle')}
            description={
              <div className="desk-duplicate-list">
                {matches.map((m) => {
                  const p = protectionText(t, m.protectedUntil, m.owner !== null)
                  return (
                    <div key={m.clientId} className="desk-duplicate-row">
                      <Space wrap size={8}>
                        <strong>{m.name}</strong>
                        <Typography.Text type="secondary">{m.code}</Typography.Text>
                        {m.owner && <span>{t('frontDesk.search.owner', { name: m.owner.name })}</span>}
                        <span className={`desk-tone-${p.tone}`}>{p.text}</span>
                        {m.blacklisted && <Tag color="red">{t('frontDesk.card.blacklistTag')}</Tag>}
                      </Space>
                      <Button size="small" type="primary" ghost onClick={() => onUseExisting(m.clientId)}>
                        {cardUid ? t('frontDesk.walkIn.useExistingWithCard') : t('frontDesk.walkIn.useExisting')}
                      </Button>
                    </div>
                  )
                })}
              </div>
            }
          />
        )}
        <Form.Item name="sourceChannel" label={t('frontDesk.walkIn.source')}>
          <Select options={SourceChannel.options.map((s) => ({ value: s, label: t(`clients.enums.sourceChannel.${s}`) }))} />
        </Form.Item>
        <CampaignField form={form} channelField="sourceChannel" />
        {rateLimited && <Alert type="error" showIcon message={rateLimited} />}
      </Form>
    </Dialog>
  )
}
