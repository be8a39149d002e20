import { Alert, App, Button, ColorPicker, Skeleton, Space, Tag, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { DEFAULT_PALETTE, SAFE_PALETTE, UnitStatus } from '@shared/domain/unit-status'
import { useApi } from '../../api/session-context'
import { textOn } from '@shared/domain/contrast'
import './board.css'
import './palette-modal.css'
import { boardErrorText } from './format'
import { Dialog } from '../../app/dialog'

type Palette = Record<UnitStatus, string>

const same = (a: Palette, b: Palette) => UnitStatus.options.every((s) => a[s].toLowerCase() === b[s].toLowerCase())

/** 配色 (managers): a colour per status with a preview cell; saving repaints every open board. */
export function PaletteModal({ onClose, onSaved }: { onClose(): void; onSaved?(palette: Palette): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [saved, setSaved] = useState<{ palette: Palette; custom: boolean } | null>(null)
  const [colours, setColours] = useState<Palette | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void api.try('board.getPalette', {}).then((r) => {
      if (r.ok) {
        setSaved(r.value)
        setColours(r.value.palette)
      } else setProblem(t('board.palette.loadFailed', { text: boardErrorText(t, r.error) }))
    })
  }, [api, t])

  // two statuses in one colour cannot be told apart on the board: say so before saving
  const clash = useMemo(() => {
    if (!colours) return null
    const opts = UnitStatus.options
    for (let i = 0; i < opts.length; i++) {
      for (let j = i + 1; j < opts.length; j++) {
        if (colours[opts[i]!].toLowerCase() === colours[opts[j]!].toLowerCase()) return [opts[i]!, opts[j]!] as const
      }
    }
    return null
  }, [colours])

  const errorOf = (e: ApiErrorShape) => {
    const status = UnitStatus.safeParse(e.field?.startsWith('palette.') ? e.field.slice('palette.'.length) : null)
    const text = boardErrorText(t, e)
    return status.success ? t('board.palette.badColour', { status: t(`board.status.${status.data}`), text }) : text
  }

  const save = async () => {
    if (!colours || !saved) return
    if (same(colours, saved.palette) && (saved.custom || !same(colours, DEFAULT_PALETTE))) {
      void message.info(t('board.palette.unchanged'))
      return onClose()
    }
    setBusy(true)
    setProblem(null)
    // the built-in colours are stored as "none", so a later change of the defaults reaches this branch too
    const r = await api.try('board.setPalette', { palette: same(colours, DEFAULT_PALETTE) ? null : colours })
    setBusy(false)
    if (!r.ok) return setProblem(errorOf(r.error))
    void message.success(t('board.palette.saved'))
    onSaved?.(r.value.palette)
    onClose()
  }

  const presets = [
    { label: t('board.palette.presets.default'), colors: Object.values(DEFAULT_PALETTE) },
    { label: t('board.palette.presets.safe'), colors: Object.values(SAFE_PALETTE) },
  ]

  return (
    <Dialog
      open
      width={680}
      title={t('board.palette.title')}
      onCancel={onClose}
      data-testid="palette-modal"
      footer={[
        <Button key="reset" disabled={!colours} onClick={() => setColours({ ...DEFAULT_PALETTE })} style={{ float: 'left' }}>
          {t('board.palette.reset')}
        </Button>,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={busy} disabled={!colours} onClick={() => void save()}>
          {t('board.palette.save')}
        </Button>,
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Text type="secondary">{t('board.palette.hint')}</Typography.Text>
        {saved && <Tag color={saved.custom ? 'blue' : 'default'}>{saved.custom ? t('board.palette.custom') : t('board.palette.builtIn')}</Tag>}
        {problem && <Alert type="error" showIcon message={problem} />}
        {clash && <Alert type="warning" showIcon message={t('board.palette.same', { a: t(`board.status.${clash[0]}`), b: t(`board.status.${clash[1]}`) })} />}
        {!colours ? (
          !problem && <Skeleton active />
        ) : (
          <div className="bc-palette-grid">
            {UnitStatus.options.map((s) => (
              <div key={s} className="bc-palette-item" data-status={s}>
                <div className="bc-cell bc-palette-preview" style={{ background: colours[s], color: textOn(colours[s]) }} aria-label={t('board.palette.preview')}>
                  <b>{t(`board.status.${s}`)}</b>
                  <span>{t('board.palette.sample')}</span>
                </div>
                <ColorPicker
                  value={colours[s]}
                  disabledAlpha
                  showText
                  format="hex"
                  presets={presets}
                  onChange={(c) => setColours((p) => (p ? { ...p, [s]: c.toHexString() } : p))}
                />
              </div>
            ))}
          </div>
        )}
      </Space>
    </Dialog>
  )
}
