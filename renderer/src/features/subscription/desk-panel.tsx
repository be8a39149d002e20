import { PrinterOutlined } from '@ant-design/icons'
import { Alert, App, Button, InputNumber, Select, Space } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { AgreementPrint } from './agreement-print'

/** The picking desk: a card number and a unit of the event; a pick is a 认购 that locks the unit on every board at once. */
export function DeskPanel({ eventId, projectId , rehearsal }: { eventId: number; projectId: number ; rehearsal: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [cardNo, setCardNo] = useState<number | null>(null)
  const [unitId, setUnitId] = useState<number | null>(null)
  const [units, setUnits] = useState<OutputOf<'board.get'>['units']>([])
  const [problem, setProblem] = useState<string | null>(null)
  // a rehearsal's own copy of the board: the units in play less its own picks, whatever the live board says
  const [rehearsalFree, setRehearsalFree] = useState<Set<number> | null>(null)
  // the last card picked here: its papers are a button away (the desk prints while the holder is there)
  const [lastPick, setLastPick] = useState<number | null>(null)
  const [paperOf, setPaperOf] = useState<number | null>(null)

  // the board's own list, refreshed after each pick here (another desk's pick is refused by the host if it came first)
  const loadUnits = useCallback(async () => {
    const r = await api.try('board.get', { projectId })
    if (r.ok) setUnits(r.value.units)
    if (!rehearsal) return setRehearsalFree(null)
    const l = await api.try('subscription.lobby', { eventId })
    if (l.ok) setRehearsalFree(new Set(l.value.event.unitIds.filter((u) => !l.value.picked.includes(u))))
  }, [api, projectId, eventId, rehearsal])
  useEffect(() => {
    void loadUnits()
    // another desk's pick (or the day moving on) is pushed: the list drops the units taken at once
    return api.on('subscription.changed', (e) => {
      if (e.eventId === eventId) void loadUnits()
    })
  }, [api, eventId, loadUnits])

  const act = async (what: 'pick' | 'pass') => {
    if (cardNo === null) return
    const r = what === 'pick' ? (unitId === null ? null : await api.try('subscription.pick', { eventId, cardNo, unitId })) : await api.try('subscription.pass', { eventId, cardNo })
    if (r === null) return
    if (!r.ok) return setProblem(errorText(t, r.error))
    setProblem(null)
    message.success(t(what === 'pick' ? 'subscription.desk.picked' : 'subscription.desk.passed', { cardNo }))
    setUnitId(null)
    setLastPick(what === 'pick' ? cardNo : null)
    void loadUnits()
  }

  return (
    <Space direction="vertical" size="middle" className="sub-desk">
      <Space wrap>
        <InputNumber aria-label={t('subscription.cardNo')} placeholder={t('subscription.cardNo')} min={1} precision={0} value={cardNo} onChange={setCardNo} size="large" />
        <Select
          showSearch
          aria-label={t('subscription.unit')}
          placeholder={t('subscription.unit')}
          style={{ width: 240 }}
          size="large"
          value={unitId}
          onChange={setUnitId}
          optionFilterProp="label"
          options={units.filter((u) => (rehearsalFree ? rehearsalFree.has(u.id) : u.status === 'available')).map((u) => ({ value: u.id, label: `${u.number}（${u.layout ?? ''}）` }))}
        />
        <Button type="primary" size="large" disabled={cardNo === null || unitId === null} onClick={() => void act('pick')}>
          {t('subscription.desk.pick')}
        </Button>
        <Button size="large" disabled={cardNo === null} onClick={() => void act('pass')}>
          {t('subscription.desk.pass')}
        </Button>
      </Space>
      {problem && <Alert type="error" showIcon message={problem} />}
      {lastPick !== null && (
        <Button icon={<PrinterOutlined />} onClick={() => setPaperOf(lastPick)}>
          {t('subscription.paper.openFor', { cardNo: lastPick })}
        </Button>
      )}
      <AgreementPrint eventId={eventId} cardNo={paperOf} onClose={() => setPaperOf(null)} />
    </Space>
  )
}
