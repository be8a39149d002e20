import { CrownOutlined, UndoOutlined } from '@ant-design/icons'
import { Alert, App, Button, Form, Input, InputNumber, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { clubLevelText } from '../../i18n/shipped-words'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useCardSwipes } from '../front-desk/card-swipes'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { DESK_SAVE_TEXTS, deskErrorText } from '../front-desk/desk-errors'
import { useFormSave } from '../../app/use-form-save'
import { discountText } from '../front-desk/desk-format'
import type { HostText } from '@shared/contract/host-text'
import { hostText } from '../../i18n/host-text'
import { Dialog } from '../../app/dialog'

type Standing = OutputOf<'club.standing'>
type Entry = OutputOf<'club.ledger'>['rows'][number]

const PAGE = 20
const KIND_COLOURS: Record<Entry['kind'], string> = {
  viewing: 'blue',
  purchase: 'gold',
  referral: 'purple',
  activity: 'cyan',
  manual: 'default',
  reversal: 'red',
}

/** 会员查询: find a member (search or swipe), see the standing and the points ledger; managers adjust and reverse. */
export function MemberLookup({ mayAdjust, active }: { mayAdjust: boolean; active: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [client, setClient] = useState<PickedClient | null>(null)
  const [standing, setStanding] = useState<Standing | null>(null)
  const [ledger, setLedger] = useState<{ rows: Entry[]; total: number } | null>(null)
  const [page, setPage] = useState(1)
  const [error, setError] = useState<string | null>(null)
  const [reversing, setReversing] = useState<Entry | null>(null)
  const [adjustForm] = Form.useForm<{ delta: number; reason: string }>()

  const load = useCallback(
    async (c: PickedClient, p: number) => {
      const [s, l] = await Promise.all([api.try('club.standing', { clientId: c.id }), api.try('club.ledger', { clientId: c.id, offset: (p - 1) * PAGE, limit: PAGE })])
      if (!s.ok) return setError(deskErrorText(t, s.error))
      if (!l.ok) return setError(deskErrorText(t, l.error))
      setError(null)
      setStanding(s.value)
      setLedger(l.value)
    },
    [api, t],
  )

  useEffect(() => {
    if (client) void load(client, page)
  }, [client, page, load])

  // a member can also be looked up by swiping their card
  useCardSwipes(
    {
      onSwipe: (read) =>
        void api.try('cards.identify', { read }).then((r) => {
          if (!r.ok) return void message.error(deskErrorText(t, r.error))
          if (r.value.status === 'unknown' || r.value.status === 'unreadable') return void message.warning(t('members.lookup.unknownCard'))
          const c = r.value.card
          if (r.value.status !== 'known') void message.warning(t('frontDesk.card.lostAlert'))
          setPage(1)
          setClient({ id: c.clientId, name: c.name, code: c.code })
        }),
    },
    active,
  )

  // a form on the page (no close): stays filled with a line above it when the host cannot be reached
  const adjust = useFormSave(adjustForm, {
    // the form is shown only with a client chosen
    save: (v) => api.try('club.adjust', { clientId: client!.id, delta: v.delta, reason: v.reason }),
    saved: (r) => {
      adjustForm.resetFields()
      void message.success(t('members.lookup.adjusted', { points: r.points }))
      setPage(1)
      if (client) void load(client, 1)
    },
    texts: DESK_SAVE_TEXTS,
  })

  return (
    <div className="members-panel">
      <Space className="members-toolbar" wrap>
        <ClientPicker
          aria-label={t('members.lookup.search')}
          placeholder={t('members.lookup.search')}
          style={{ width: 420 }}
          value={client}
          onChange={(c) => {
            setPage(1)
            setClient(c)
            if (!c) {
              setStanding(null)
              setLedger(null)
            }
          }}
        />
        <Typography.Text type="secondary">{t('members.lookup.swipeHint')}</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {client && standing && (
        <div className="members-standing" data-testid="member-standing">
          <div className="members-standing-who">
            <Typography.Title level={3} style={{ margin: 0 }}>
              {client.name}
            </Typography.Title>
            <Typography.Text type="secondary">{client.code}</Typography.Text>
            <Button type="link" href={`#/clients/${client.id}`}>
              {t('frontDesk.actions.profile')}
            </Button>
          </div>
          <Statistic title={t('members.lookup.level')} value={clubLevelText(t, standing.level)} prefix={<CrownOutlined />} />
          <Statistic title={t('members.lookup.points')} value={standing.points} />
          <Statistic title={t('members.lookup.discount')} value={discountText(t, standing.discountPermille)} />
          <Statistic
            title={t('members.lookup.next')}
            value={standing.nextLevel && standing.pointsToNext !== null ? t('frontDesk.club.toNext', { points: standing.pointsToNext, level: clubLevelText(t, standing.nextLevel) }) : t('members.lookup.top')}
            valueStyle={{ fontSize: 16 }}
          />
        </div>
      )}
      {client && mayAdjust && adjust.problem}
      {client && mayAdjust && (
        <Form form={adjustForm} layout="inline" name="adjust" onFinish={adjust.submit} className="members-adjust" requiredMark={false}>
          <Form.Item name="delta" label={t('members.lookup.delta')} rules={[{ required: true, message: t('members.lookup.deltaRequired') }]}>
            <InputNumber precision={0} min={-1_000_000} max={1_000_000} style={{ width: 140 }} placeholder={t('members.lookup.deltaPlaceholder')} />
          </Form.Item>
          <Form.Item name="reason" label={t('members.lookup.reason')} rules={[{ required: true, min: 2, whitespace: true, message: t('members.lookup.reasonRequired') }]}>
            <Input maxLength={200} style={{ width: 320 }} placeholder={t('members.lookup.reasonPlaceholder')} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={adjust.saving}>
              {t('members.lookup.adjust')}
            </Button>
          </Form.Item>
        </Form>
      )}
      {client && (
        <Table<Entry>
          size="small"
          rowKey="id"
          dataSource={ledger?.rows ?? []}
          loading={ledger === null && !error}
          locale={{ emptyText: t('members.lookup.noEntries') }}
          pagination={{ current: page, pageSize: PAGE, total: ledger?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('members.lookup.at'), dataIndex: 'at', width: 150, render: (v: string) => formatBranchTime(v) },
            {
              title: t('members.lookup.delta'),
              dataIndex: 'delta',
              width: 90,
              align: 'right',
              render: (v: number) => <span className={v < 0 ? 'members-minus' : 'members-plus'}>{v > 0 ? `+${v}` : v}</span>,
            },
            { title: t('members.lookup.kind'), dataIndex: 'kind', width: 90, render: (k: Entry['kind']) => <Tag color={KIND_COLOURS[k]}>{t(`members.kind.${k}`)}</Tag> },
            {
              title: t('members.lookup.reason'),
              dataIndex: 'reason',
              render: (v: HostText, e) => (
                <>
                  {hostText(t, v)}
                  {e.reversed && (
                    <Tag color="red" style={{ marginLeft: 8 }}>
                      {t('members.lookup.reversedTag')}
                    </Tag>
                  )}
                </>
              ),
            },
            { title: t('members.lookup.staff'), dataIndex: 'staffName', width: 100, render: (v: string | null) => v ?? t('members.lookup.system') },
            ...(mayAdjust
              ? [
                  {
                    title: '',
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, e: Entry) =>
                      e.kind !== 'reversal' && !e.reversed ? (
                        <Button size="small" icon={<UndoOutlined />} onClick={() => setReversing(e)}>
                          {t('members.lookup.reverse')}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
      {!client && <div className="members-empty">{t('members.lookup.empty')}</div>}
      <ReverseModal
        entry={reversing}
        onClose={() => setReversing(null)}
        onDone={async () => {
          setReversing(null)
          if (client) await load(client, page)
        }}
      />
    </div>
  )
}

/** 冲销: reverse one ledger entry with a new, opposite entry and a reason. */
function ReverseModal({ entry, onClose, onDone }: { entry: Entry | null; onClose(): void; onDone(): Promise<void> }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason: string }>()
  const save = useFormSave(form, {
    save: (v) => api.try('club.reverse', { entryId: entry!.id, reason: v.reason }),
    saved: (reversed) => {
      void message.success(t('members.lookup.reversed', { points: reversed.points }))
      void onDone()
    },
    close: onClose,
    texts: DESK_SAVE_TEXTS,
  })

  useEffect(() => {
    form.resetFields()
  }, [entry, form])

  return (
    <Dialog
      open={entry !== null}
      title={entry ? t('members.lookup.reverseTitle', { delta: entry.delta > 0 ? `+${entry.delta}` : entry.delta, reason: hostText(t, entry.reason) }) : ''}
      onCancel={save.cancel}
      onOk={() => form.submit()}
      okText={t('members.lookup.reverse')}
      cancelText={t('common.cancel')}
      confirmLoading={save.saving}
      destroyOnHidden
    >
      {save.problem}
      <Form form={form} layout="vertical" onFinish={save.submit} requiredMark={false}>
        <Form.Item name="reason" label={t('members.lookup.reason')} rules={[{ required: true, min: 2, whitespace: true, message: t('members.lookup.reasonRequired') }]}>
          <Input autoFocus maxLength={200} />
        </Form.Item>
      </Form>
    </Dialog>
  )
}
