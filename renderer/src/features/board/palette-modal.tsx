import { Alert, App, Button, ColorPicker, Form, Skeleton, Space, Tag, Typography } from 'antd'
import type { Color } from 'antd/es/color-picker'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DEFAULT_PALETTE, SAFE_PALETTE, UnitStatus } from '@shared/domain/unit-status'
import { useApi } from '../../api/session-context'
import { textOn } from '@shared/domain/contrast'
import './board.css'
import './palette-modal.css'
import { boardErrorText } from './format'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

type Palette = Record<UnitStatus, string>

const same = (a: Palette, b: Palette) => UnitStatus.options.every((s) => a[s].toLowerCase() === b[s].toLowerCase())

/** 配色 (managers): a colour per status with a preview cell; saving repaints every open board. */
export function PaletteModal({ onClose, onSaved }: { onClose(): void; onSaved?(palette: Palette): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  // the colours under palette.<status>: the field the host names when it refuses one
  const [form] = Form.useForm<{ palette: Palette }>()
  const [saved, setSaved] = useState<{ palette: Palette; custom: boolean } | null>(null)
  const [loadProblem, setLoadProblem] = useState<string | null>(null)
  const colours = Form.useWatch((all: { palette?: Partial<Palette> }) => all.palette, form)
  const loaded = saved !== null

  useEffect(() => {
    void api.try('board.getPalette', {}).then((r) => {
      if (r.ok) {
        setSaved(r.value)
        form.setFieldsValue({ palette: r.value.palette })
      } else setLoadProblem(t('board.palette.loadFailed', { text: boardErrorText(t, r.error) }))
    })
  }, [api, t, form])

  // two statuses in one colour cannot be told apart on the board: say so before saving
  const clash = useMemo(() => {
    if (!loaded || !colours) return null
    const opts = UnitStatus.options
    for (let i = 0; i < opts.length; i++) {
      for (let j = i + 1; j < opts.length; j++) {
        if (colours[opts[i]!]?.toLowerCase() === colours[opts[j]!]?.toLowerCase()) return [opts[i]!, opts[j]!] as const
      }
    }
    return null
  }, [colours, loaded])

  const save = useFormSave(form, {
    // the built-in colours are stored as "none", so a later change of the defaults reaches this branch too
    save: ({ palette }) => api.try('board.setPalette', { palette: same(palette, DEFAULT_PALETTE) ? null : palette }),
    saved: (r) => {
      void message.success(t('board.palette.saved'))
      onSaved?.(r.palette)
    },
    close: onClose,
    // a colour the host refuses is named under its picker
    texts: { problem: boardErrorText, field: boardErrorText },
  })

  const submit = (v: { palette: Palette }) => {
    if (!saved) return
    if (same(v.palette, saved.palette) && (saved.custom || !same(v.palette, DEFAULT_PALETTE))) {
      void message.info(t('board.palette.unchanged'))
      return save.cancel()
    }
    save.submit(v)
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
      onCancel={save.cancel}
      data-testid="palette-modal"
      footer={[
        <Button key="reset" disabled={!loaded} onClick={() => form.setFieldsValue({ palette: { ...DEFAULT_PALETTE } })} style={{ float: 'left' }}>
          {t('board.palette.reset')}
        </Button>,
        <Button key="cancel" onClick={save.cancel}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={save.saving} disabled={!loaded} onClick={() => form.submit()}>
          {t('board.palette.save')}
        </Button>,
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Text type="secondary">{t('board.palette.hint')}</Typography.Text>
        {saved && <Tag color={saved.custom ? 'blue' : 'default'}>{saved.custom ? t('board.palette.custom') : t('board.palette.builtIn')}</Tag>}
        {loadProblem && <Alert type="error" showIcon message={loadProblem} />}
        {save.problem}
        {clash && <Alert type="warning" showIcon message={t('board.palette.same', { a: t(`board.status.${clash[0]}`), b: t(`board.status.${clash[1]}`) })} />}
        {!loaded && !loadProblem && <Skeleton active />}
        <Form<{ palette: Palette }> form={form} name="palette" onFinish={submit} component={false}>
          {loaded && (
            <div className="bc-palette-grid">
              {UnitStatus.options.map((s) => (
                <div key={s} className="bc-palette-item" data-status={s}>
                  <div className="bc-cell bc-palette-preview" style={{ background: colours?.[s], color: colours?.[s] ? textOn(colours[s]) : undefined }} aria-label={t('board.palette.preview')}>
                    <b>{t(`board.status.${s}`)}</b>
                    <span>{t('board.palette.sample')}</span>
                  </div>
                  <Form.Item name={['palette', s]} getValueFromEvent={(c: Color) => c.toHexString()} style={{ margin: 0 }}>
                    <ColorPicker disabledAlpha showText format="hex" presets={presets} />
                  </Form.Item>
                </div>
              ))}
            </div>
          )}
        </Form>
      </Space>
    </Dialog>
  )
}
