import { DownloadOutlined, KeyOutlined, ReloadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Descriptions, Space, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import type { PairedDevice } from '@shared/contract/devices'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'

/** Where the host offers its CA (electron/host/lan/tls-page.ts). */
const CA_DER = '/tls/keyuan-branch-ca.cer'
const CA_PEM = '/tls/keyuan-branch-ca.crt'

/** 终端配对: the admin opens a pairing code, compares the branch certificate's code, lists paired devices and revokes one. */
export function DevicesPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const { modal } = App.useApp()
  const [state, setState] = useState<OutputOf<'devices.list'> | null>(null)
  const [tls, setTls] = useState<OutputOf<'system.tls'> | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    const [list, cert] = await Promise.all([api.try('devices.list', {}), api.try('system.tls', {})])
    if (!list.ok) return setProblem(list.error)
    if (!cert.ok) return setProblem(cert.error)
    setProblem(null)
    setState(list.value)
    setTls(cert.value)
  }, [api])

  useEffect(() => {
    void load()
  }, [load])

  const act = async (run: () => Promise<{ ok: boolean; error?: ApiErrorShape }>) => {
    const r = await run()
    if (!r.ok && r.error) setProblem(r.error)
    await load()
  }

  const confirmRevoke = (d: PairedDevice) => {
    modal.confirm({
      title: t('devices.revokeTitle', { name: d.name }),
      content: t('devices.revokeBody'),
      okText: t('devices.revokeOk'),
      okButtonProps: { danger: true },
      cancelText: t('devices.cancel'),
      autoFocusButton: 'cancel',
      onOk: () => act(() => api.try('devices.revoke', { id: d.id })),
    })
  }

  const pairing = state?.pairing
  const time = (at: string | null) => (at ? formatBranchTime(at) : t('devices.never'))
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 1100 }} data-testid="devices-panel">
      <Space>
        <Typography.Text type="secondary">{t('devices.intro')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('devices.refresh')}
        </Button>
      </Space>
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} />}
      {state && !state.lan && <Alert type="info" showIcon message={t('devices.noLan')} />}

      {state?.lan && (
        <section aria-labelledby="devices-pairing">
          <Typography.Title level={5} id="devices-pairing">
            {t('devices.pairing')}
          </Typography.Title>
          {pairing?.lockedUntil && <Alert type="warning" showIcon message={t('devices.locked', { at: formatBranchTime(pairing.lockedUntil) })} style={{ marginBottom: 12 }} />}
          {pairing?.code ? (
            <Space direction="vertical">
              <Typography.Text>{t('devices.codeLabel')}</Typography.Text>
              <Typography.Text strong copyable style={{ fontFamily: 'monospace', fontSize: 28, letterSpacing: 2 }} data-testid="pairing-code">
                {pairing.code}
              </Typography.Text>
              <Typography.Text type="secondary">{t('devices.codeExpires', { at: time(pairing.expiresAt), left: pairing.attemptsLeft })}</Typography.Text>
              <Space>
                <Button icon={<KeyOutlined />} onClick={() => void act(() => api.try('devices.openPairing', {}))}>
                  {t('devices.openAgain')}
                </Button>
                <Button onClick={() => void act(() => api.try('devices.closePairing', {}))}>{t('devices.withdraw')}</Button>
              </Space>
            </Space>
          ) : (
            <Button type="primary" icon={<KeyOutlined />} onClick={() => void act(() => api.try('devices.openPairing', {}))}>
              {t('devices.open')}
            </Button>
          )}
        </section>
      )}

      {tls?.enabled && (
        <section aria-labelledby="devices-ca">
          <Typography.Title level={5} id="devices-ca">
            {t('devices.fingerprint')}
          </Typography.Title>
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label={t('devices.fingerprint')}>
              <Typography.Text strong style={{ fontFamily: 'monospace', fontSize: 18 }} data-testid="ca-short-code">
                {tls.shortCode}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('devices.sha256')}>
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {tls.fingerprint}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('devices.fingerprintHint')}
          </Typography.Paragraph>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={CA_DER} download>
              {t('devices.download')}
            </Button>
            <Button href={CA_PEM} download>
              {t('devices.downloadPem')}
            </Button>
          </Space>
          <Typography.Title level={5}>{t('devices.windowsTitle')}</Typography.Title>
          <ol>
            {(t('devices.windowsSteps', { returnObjects: true }) as string[]).map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </section>
      )}

      <section aria-labelledby="devices-list">
        <Typography.Title level={5} id="devices-list">
          {t('devices.devices')}
        </Typography.Title>
        <Table<PairedDevice>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={state?.devices ?? []}
          locale={{ emptyText: t('devices.none') }}
          columns={[
            { title: t('devices.name'), dataIndex: 'name' },
            { title: t('devices.kind'), dataIndex: 'kind', render: (k: PairedDevice['kind']) => t(`devices.kinds.${k}`) },
            { title: t('devices.address'), dataIndex: 'address', render: (a: string | null) => a ?? t('devices.never') },
            { title: t('devices.lastSeen'), dataIndex: 'lastSeenAt', render: (at: string | null) => time(at) },
            { title: t('devices.signedIn'), dataIndex: 'signedIn', render: (s: string | null) => s ?? t('devices.never') },
            {
              title: t('devices.standby'),
              key: 'standby',
              render: (_: unknown, d) =>
                d.standby ? (
                  <Space direction="vertical" size={0}>
                    <Typography.Text>{t('devices.standbyState', { at: time(d.standby.lastPullAt), lag: Math.max(0, (state?.feedHead ?? 0) - d.standby.ackedSeq) })}</Typography.Text>
                    <Button size="small" onClick={() => void act(() => api.try('devices.setStandby', { id: d.id, standby: false }))}>
                      {t('devices.standbyStop')}
                    </Button>
                  </Space>
                ) : d.kind === 'terminal' && !d.revokedAt ? (
                  <Button size="small" onClick={() => void act(() => api.try('devices.setStandby', { id: d.id, standby: true }))} aria-label={`${t('devices.standbyMake')} ${d.name}`}>
                    {t('devices.standbyMake')}
                  </Button>
                ) : (
                  t('devices.never')
                ),
            },
            {
              title: t('devices.status'),
              key: 'status',
              render: (_: unknown, d) =>
                d.revokedAt ? (
                  <Typography.Text type="secondary">{t('devices.revokedAt', { at: formatBranchTime(d.revokedAt) })}</Typography.Text>
                ) : (
                  <Space>
                    <Typography.Text type="success">{t('devices.live')}</Typography.Text>
                    <Button size="small" danger onClick={() => confirmRevoke(d)} aria-label={`${t('devices.revoke')} ${d.name}`}>
                      {t('devices.revoke')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </section>
    </Space>
  )
}
