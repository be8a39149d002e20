import { CheckCircleFilled, LoadingOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Form, Input, Space, Typography, type InputRef } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ProposalView } from './proposal-view'
import type { LearnProgress, LearnProposal, ReaderAdmin, ReaderEntry, ReaderReason } from './reader-bridge'
import { deviceName, hex4 } from './reader-format'

interface Props {
  admin: ReaderAdmin
  reader: ReaderEntry
  /** learning is over: the saved profile's name (null: cancelled) and the new list when the call gave one */
  onDone(saved: string | null, list: ReaderEntry[] | null): void
}

/**
 * Learn mode for one reader: the admin types the card's printed number and swipes it three
 * times; the screen shows each swipe as it arrives, then the proposed profile to save.
 */
export function LearnPanel({ admin, reader, onDone }: Props) {
  const { t } = useTranslation()
  const [progress, setProgress] = useState<LearnProgress | null>(null)
  const [printed, setPrinted] = useState('')
  const [name, setName] = useState('')
  const [proposal, setProposal] = useState<LearnProposal | null>(null)
  const [problem, setProblem] = useState<ReaderReason | null>(null)
  const [busy, setBusy] = useState(false)
  const printedField = useRef<InputRef>(null)
  const finished = useRef(false)

  useEffect(() => {
    finished.current = false
    const off = admin.onLearn((p) => {
      if (p.path === reader.path) setProgress(p)
    })
    void admin.learnStart(reader.path).then((r) => {
      if (r.ok) setProgress(r.value)
      else setProblem(r.reason)
    })
    printedField.current?.focus()
    return () => {
      off()
      // leaving the page while learning gives the reader back to the front desk
      if (!finished.current) void admin.learnCancel()
    }
  }, [admin, reader.path])

  const swiped = progress?.swipes.length ?? 0
  const needed = progress?.needed ?? 3

  async function run<T>(call: () => Promise<{ ok: true; value: T } | { ok: false; reason: ReaderReason }>): Promise<T | null> {
    setBusy(true)
    try {
      const r = await call()
      if (!r.ok) {
        setProblem(r.reason)
        return null
      }
      setProblem(null)
      return r.value
    } finally {
      setBusy(false)
    }
  }

  async function propose() {
    const p = await run(() => admin.learnPropose(printed, name.trim() || undefined))
    setProposal(p)
  }

  async function reset() {
    const p = await run(() => admin.learnReset())
    if (p) setProgress(p)
    setProposal(null)
  }

  async function cancel() {
    finished.current = true
    await admin.learnCancel()
    onDone(null, null)
  }

  async function save() {
    const list = await run(() => admin.learnSave())
    if (list && proposal) {
      finished.current = true
      onDone(proposal.profile.name, list)
    }
  }

  const device = `${deviceName(reader, t('readers.unnamed'))} (${hex4(reader.vendorId)}:${hex4(reader.productId)})`
  return (
    <Card title={t('readers.session.title', { device })} className="readers-learn" data-testid="learn-panel">
      <Alert type="info" showIcon message={t('readers.session.paused')} className="readers-alert" />
      {progress?.state === 'lost' && <Alert type="error" showIcon message={t('readers.session.lost')} className="readers-alert" />}
      {progress?.state === 'ended' && <Alert type="warning" showIcon message={t('readers.session.ended')} className="readers-alert" />}
      {problem && <Alert type="error" showIcon role="alert" message={t(`readers.errors.${problem}`)} className="readers-alert" data-testid="learn-problem" />}
      <Typography.Paragraph>{t('readers.session.step1')}</Typography.Paragraph>
      <Form
        layout="vertical"
        onFinish={() => {
          if (swiped >= needed && !busy) void propose()
        }}
      >
        <Space wrap align="start">
          <Form.Item label={t('readers.session.printed')} htmlFor="reader-printed" extra={t('readers.session.printedHelp')}>
            <Input id="reader-printed" ref={printedField} value={printed} onChange={(e) => setPrinted(e.target.value)} style={{ width: 240 }} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('readers.session.name')} htmlFor="reader-name">
            <Input id="reader-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('readers.session.namePlaceholder')} style={{ width: 240 }} />
          </Form.Item>
        </Space>
        <Typography.Paragraph>{t('readers.session.step2', { needed })}</Typography.Paragraph>
        <ol className="readers-swipes" data-testid="learn-swipes">
          {Array.from({ length: needed }, (_, i) => {
            const s = progress?.swipes[i]
            return (
              <li key={i} className={s ? 'done' : ''}>
                <span className="readers-swipe-label">{t('readers.session.swipe', { n: i + 1 })}</span>
                {s ? (
                  <>
                    <CheckCircleFilled className="readers-ok" /> {t('readers.session.got', { reports: s.reports })} <code>{s.firstCardReport}</code>
                  </>
                ) : (
                  <Typography.Text type="secondary">
                    {i === swiped && progress?.state === 'listening' ? <LoadingOutlined /> : null} {t('readers.session.waiting')}
                  </Typography.Text>
                )}
              </li>
            )
          })}
        </ol>
        <Space>
          <Button type="primary" htmlType="submit" disabled={swiped < needed || busy}>
            {t('readers.session.propose')}
          </Button>
          <Button onClick={() => void reset()} disabled={busy}>
            {t('readers.session.reset')}
          </Button>
          <Button onClick={() => void cancel()} disabled={busy}>
            {t('readers.session.cancel')}
          </Button>
        </Space>
      </Form>
      {proposal && <ProposalView proposal={proposal} busy={busy} onSave={() => void save()} />}
    </Card>
  )
}
