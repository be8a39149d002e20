import { Alert, Button, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { drawOrder, parseDrawList, SEED_PATTERN, type DrawResult } from '@shared/domain/subscription-draw'

/** The draw verifier: recomputes the order from a published list, seed and public value, on this PC alone (no host call). */
export function VerifyPanel({ initial }: { initial?: { list: string; seed: string | null; publicValue: string } }) {
  const { t } = useTranslation()
  const [list, setList] = useState(initial?.list ?? '')
  const [seed, setSeed] = useState(initial?.seed ?? '')
  const [publicValue, setPublicValue] = useState(initial?.publicValue ?? '')
  const [result, setResult] = useState<DrawResult | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const run = () => {
    const cards = parseDrawList(list)
    if (!cards) return setProblem(t('subscription.verify.badList'))
    if (!SEED_PATTERN.test(seed.trim())) return setProblem(t('subscription.verify.badSeed'))
    setProblem(null)
    setResult(drawOrder(seed.trim(), cards, publicValue))
  }

  return (
    <div className="sub-verify">
      <Typography.Paragraph type="secondary">{t('subscription.verify.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={run}>
        <Form.Item label={t('subscription.verify.list')}>
          <Input.TextArea rows={4} value={list} onChange={(e) => setList(e.target.value)} aria-label={t('subscription.verify.list')} />
        </Form.Item>
        <Form.Item label={t('subscription.verify.seed')}>
          <Input value={seed} onChange={(e) => setSeed(e.target.value)} aria-label={t('subscription.verify.seed')} />
        </Form.Item>
        <Form.Item label={t('subscription.publicValue')}>
          <Input value={publicValue} onChange={(e) => setPublicValue(e.target.value)} aria-label={t('subscription.publicValue')} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('subscription.verify.run')}
        </Button>
      </Form>
      {problem && <Alert type="error" showIcon message={problem} style={{ marginTop: 12 }} />}
      {result && (
        <dl className="sub-hashes">
          <dt>{t('subscription.verify.commitment')}</dt>
          <dd data-testid="verify-commitment">{result.commitment}</dd>
          <dt>{t('subscription.verify.listHash')}</dt>
          <dd>{result.listHash}</dd>
          <dt>{t('subscription.verify.order')}</dt>
          <dd data-testid="verify-order">{result.order.join(' → ')}</dd>
        </dl>
      )}
    </div>
  )
}
