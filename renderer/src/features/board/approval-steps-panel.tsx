import { CloseOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Select, Space, Spin, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { APPROVER_ROLES, ChangeKind, MAX_APPROVAL_STEPS, type ApprovalStepsConfig, type ApproverRole } from '@shared/domain/approval-steps'
import { useApi } from '../../api/session-context'
import { boardErrorText } from './format'
import { Dialog } from '../../app/dialog'

/** 审批流程设置: the ordered approval steps of each kind of change, saved one kind at a time (admins). */
export function ApprovalStepsModal({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [saved, setSaved] = useState<ApprovalStepsConfig | null>(null)
  const [draft, setDraft] = useState<ApprovalStepsConfig | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<ChangeKind | null>(null)

  useEffect(() => {
    void api.try('changes.getSteps', {}).then((r) => {
      if (!r.ok) return setError(boardErrorText(t, r.error))
      setSaved(r.value.steps)
      setDraft(r.value.steps)
    })
  }, [api, t])

  const edit = (kind: ChangeKind, steps: ApproverRole[]) => setDraft((d) => (d ? { ...d, [kind]: steps } : d))
  const save = async (kind: ChangeKind) => {
    if (!draft) return
    setBusy(kind)
    setError(null)
    const r = await api.try('changes.setSteps', { kind, steps: draft[kind] })
    setBusy(null)
    if (r.ok) {
      setSaved(r.value.steps)
      void message.success(t('board.steps.saved', { kind: t(`board.changeKind.${kind}`) }))
    } else setError(boardErrorText(t, r.error))
  }
  const roleOptions = APPROVER_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))

  return (
    <Dialog open title={t('board.steps.title')} onCancel={onClose} footer={null} width={760}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('board.steps.hint')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary" data-testid="steps-self-rule">
          {t('board.steps.selfRule')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} />}
        {!draft ? (
          <Spin />
        ) : (
          <Table
            size="small"
            rowKey={(k) => k}
            dataSource={[...ChangeKind.options]}
            pagination={false}
            columns={[
              { title: t('board.steps.kind'), width: 110, render: (_: unknown, kind: ChangeKind) => <Tag>{t(`board.changeKind.${kind}`)}</Tag> },
              {
                title: t('board.steps.steps'),
                render: (_: unknown, kind: ChangeKind) => (
                  <Space wrap size={4}>
                    {draft[kind].map((role, i) => (
                      <Space.Compact key={i} size="small">
                        <Select
                          size="small"
                          style={{ width: 130 }}
                          value={role}
                          aria-label={t('board.steps.stepN', { n: i + 1 })}
                          options={roleOptions}
                          onChange={(v: ApproverRole) => edit(kind, draft[kind].map((x, j) => (j === i ? v : x)))}
                        />
                        <Button
                          size="small"
                          icon={<CloseOutlined />}
                          aria-label={t('board.steps.remove')}
                          title={t('board.steps.remove')}
                          disabled={draft[kind].length <= 1}
                          onClick={() => edit(kind, draft[kind].filter((_x, j) => j !== i))}
                        />
                      </Space.Compact>
                    ))}
                    {draft[kind].length < MAX_APPROVAL_STEPS && (
                      <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => edit(kind, [...draft[kind], 'manager'])}>
                        {t('board.steps.add')}
                      </Button>
                    )}
                  </Space>
                ),
              },
              {
                title: '',
                width: 80,
                render: (_: unknown, kind: ChangeKind) => (
                  <Button size="small" type="primary" loading={busy === kind} disabled={JSON.stringify(draft[kind]) === JSON.stringify(saved?.[kind])} onClick={() => void save(kind)}>
                    {t('board.steps.save')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Dialog>
  )
}
