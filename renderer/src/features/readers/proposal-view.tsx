import { Alert, Button, Descriptions, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { LearnProposal } from './reader-bridge'
import { markedBytes } from './reader-format'

const FORMATS = ['decimal-10', 'decimal-10-le', 'decimal-8', 'hex-be', 'hex-le', 'bytes-be', 'bytes-le'] as const
type Format = (typeof FORMATS)[number]

function isFormat(f: string): f is Format {
  return (FORMATS as readonly string[]).includes(f)
}

/** The proposed profile spelled out: reader type, report layout, where the UID sits, how it maps to the printed number; and save. */
export function ProposalView({ proposal, busy, onSave }: { proposal: LearnProposal; busy: boolean; onSave(): void }) {
  const { t } = useTranslation()
  const p = proposal.profile
  const formatText = (f: string) => (isFormat(f) ? t(`readers.proposal.format.${f}`) : f)
  const layout =
    p.kind === 'keyboard'
      ? t('readers.proposal.layoutKeyboard', { typed: proposal.raws[0] ?? '' })
      : [
          p.reportId !== undefined ? t('readers.proposal.reportId', { id: p.reportId.toString(16).toUpperCase().padStart(2, '0') }) : null,
          t('readers.proposal.lengthByte', { offset: p.lengthByteOffset }),
          t('readers.proposal.uidBytes', { offset: p.uidOffset }),
          t(`readers.proposal.checksum_${p.checksum ?? 'none'}`),
        ]
          .filter(Boolean)
          .join('，') + t('readers.proposal.countFromZero')
  const rows = proposal.raws.map((raw, i) => ({ key: i, n: i + 1, raw, uid: proposal.uids[i] ?? '' }))
  return (
    <div className="readers-proposal" data-testid="learn-proposal">
      <Typography.Title level={5}>{t('readers.proposal.title')}</Typography.Title>
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('readers.proposal.name')}>{p.name}</Descriptions.Item>
        <Descriptions.Item label={t('readers.proposal.kind')}>{t(`readers.proposal.kind_${p.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('readers.proposal.layout')}>{layout}</Descriptions.Item>
        {p.kind === 'vendor' && proposal.raws[0] && (
          <Descriptions.Item label={t('readers.proposal.sample')}>
            <code className="readers-report" data-testid="learn-report">
              {markedBytes(proposal.raws[0], p.uidOffset, p.lengthByteOffset).map((b, i) => (
                <span key={i} className={b.uid ? 'uid' : undefined}>
                  {b.byte}
                </span>
              ))}
            </code>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('readers.proposal.mapping')}>{formatText(p.uidFormat)}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        className="readers-mapping"
        dataSource={rows}
        columns={[
          { key: 'n', title: t('readers.proposal.swipeCol'), dataIndex: 'n', width: 70 },
          { key: 'raw', title: t('readers.proposal.rawCol'), render: (_, r) => <code>{r.raw}</code> },
          { key: 'uid', title: t('readers.proposal.uidCol'), render: (_, r) => <code>{r.uid}</code> },
          { key: 'printed', title: t('readers.proposal.printedCol'), render: () => t('readers.proposal.matches', { printed: proposal.printed }) },
        ]}
      />
      {!proposal.certain && (
        <Alert type="warning" showIcon className="readers-alert" message={t('readers.proposal.uncertain', { others: proposal.alternatives.map(formatText).join('、') })} />
      )}
      <Button type="primary" onClick={onSave} loading={busy} data-testid="learn-save">
        {t('readers.proposal.save')}
      </Button>
    </div>
  )
}
