import { AppstoreOutlined, BgColorsOutlined, CloudUploadOutlined, DesktopOutlined, PlusOutlined, PrinterOutlined, SendOutlined } from '@ant-design/icons'
import { Alert, App, Button, Empty, Form, Input, Segmented, Select, Space, Spin, Switch, Tabs, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { mayCall } from '@shared/domain/permissions'
import { SAFE_PALETTE, type UnitStatus } from '@shared/domain/unit-status'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi, useMe } from '../../api/session-context'
import { CountLabel } from '../../app/count-label'
import type { PageProps } from '../../app/routes'
import { navigate } from '../../app/use-hash-route'
import { BoardGrid, type GridUnit } from './board-grid'
import { BoardPrint } from './board-print'
import { BulkPriceButton } from './bulk-price-modal'
import './board.css'
import { DisplayPage } from './display-page'
import { boardErrorText, cellUnitsOf, statusName } from './format'
import { ImportModal } from './import-modal'
import { PaletteModal } from './palette-modal'
import { Legend } from './legend'
import { FinanceView } from './finance-view'
import { ApprovalsView, OverdueView } from './manager-views'
import { usePendingApprovalCount } from './pending-approvals'
import { UnitDrawer } from './unit-drawer'
import { UnitTip, type UnitTipHandle } from './unit-tip'
import { useBoard, type BoardUnit } from './use-board'
import { Dialog } from '../../app/dialog'
import { ExportButton } from '../export/export-button'

type Project = OutputOf<'projects.list'>['projects'][number]

const SAFE_KEY = 'keyuan.board.safePalette'
const LAST_KEY = 'keyuan.board.lastProject'

const PRICE_BANDS = {
  lt100: [0, 100e6],
  '100to200': [100e6, 200e6],
  '200to300': [200e6, 300e6],
  '300to500': [300e6, 500e6],
  gt500: [500e6, Infinity],
} as const satisfies Record<string, readonly [number, number]>
const AREA_BANDS = {
  lt70: [0, 7000],
  '70to90': [7000, 9000],
  '90to120': [9000, 12000],
  '120to150': [12000, 15000],
  gt150: [15000, Infinity],
} as const satisfies Record<string, readonly [number, number]>
type PriceBand = keyof typeof PRICE_BANDS
type AreaBand = keyof typeof AREA_BANDS
const PRICE_BAND_NAMES = Object.keys(PRICE_BANDS) as PriceBand[]
const AREA_BAND_NAMES = Object.keys(AREA_BANDS) as AreaBand[]

/** The tabs of 销控 that have an address of their own (#/board/approvals: 团队's 待审批 opens it). */
const TAB_PATHS = ['approvals', 'finance', 'overdue'] as const
type TabPath = (typeof TAB_PATHS)[number]
const isTabPath = (s: string | undefined): s is TabPath => (TAB_PATHS as readonly (string | undefined)[]).includes(s)

/** 销控: #/board, #/board/<projectId>, a tab (#/board/approvals), and the lobby screen #/board/display/<projectId>. */
export function BoardPage({ params }: PageProps) {
  if (params[0] === 'display') return <DisplayPage projectId={Number(params[1])} />
  if (isTabPath(params[0])) return <BoardArea projectId={null} openTab={params[0]} />
  return <BoardArea projectId={params[0] ? Number(params[0]) : null} openTab={null} />
}

function BoardArea({ projectId, openTab }: { projectId: number | null; openTab: TabPath | null }) {
  const { t } = useTranslation()
  const me = useMe()
  const pending = usePendingApprovalCount()
  const [active, setActive] = useState<string>(openTab ?? 'board')
  // the address names a tab (a link from 团队): show it, also when 销控 is already open
  useEffect(() => {
    if (openTab) setActive(openTab)
  }, [openTab])
  const tabs = [
    { key: 'board', label: t('board.tabs.board'), children: <LiveBoard projectId={projectId} /> },
    ...(mayCall(me.role, 'changes.decide') ? [{ key: 'approvals', label: <CountLabel text={t('board.tabs.approvals')} count={pending} testId="approvals-tab-count" />, children: <ApprovalsView /> }] : []),
    ...(mayCall(me.role, 'finance.todos') ? [{ key: 'finance', label: t('board.tabs.finance'), children: <FinanceView /> }] : []),
    ...(mayCall(me.role, 'payments.overdue') ? [{ key: 'overdue', label: t('board.tabs.overdue'), children: <OverdueView projectId={projectId} /> }] : []),
  ]
  if (tabs.length === 1) return <LiveBoard projectId={projectId} />
  return <Tabs className="bc-tabs" items={tabs} activeKey={tabs.some((x) => x.key === active) ? active : 'board'} onChange={setActive} destroyInactiveTabPane size="small" />
}

function useProjects() {
  const api = useApi()
  const [projects, setProjects] = useState<Project[] | null>(null)
  const reload = useCallback(async () => {
    const r = await api.try('projects.list', {})
    if (r.ok) setProjects(r.value.projects)
  }, [api])
  useEffect(() => {
    void reload()
  }, [reload])
  return { projects, reload }
}

function LiveBoard({ projectId }: { projectId: number | null }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const { projects, reload: reloadProjects } = useProjects()
  const { board, error, loading, reload } = useBoard(projectId)
  const [safe, setSafe] = useState(() => localStorage.getItem(SAFE_KEY) === '1')
  const [layout, setLayout] = useState<string | null>(null)
  const [priceBand, setPriceBand] = useState<PriceBand | null>(null)
  const [areaBand, setAreaBand] = useState<AreaBand | null>(null)
  const [picked, setPicked] = useState<number | null>(null)
  /** the building shown alone (null: all side by side) and the status shown alone (legend click) */
  const [building, setBuilding] = useState<number | null>(null)
  const [shown, setShown] = useState<UnitStatus | null>(null)
  const [printing, setPrinting] = useState(false)
  const [importing, setImporting] = useState(false)
  const [creating, setCreating] = useState(false)
  const [publishing, setPublishing] = useState(false)
  const [colouring, setColouring] = useState(false)
  const tip = useRef<UnitTipHandle>(null)
  const isManager = mayCall(me.role, 'board.publish')

  // open the last project (or the only one) when none is in the path
  useEffect(() => {
    if (projectId !== null || !projects || projects.length === 0) return
    const last = Number(localStorage.getItem(LAST_KEY))
    const pick = projects.find((p) => p.id === last) ?? projects[0]!
    window.location.replace(`#/board/${pick.id}`)
  }, [projectId, projects])
  useEffect(() => {
    if (projectId !== null) localStorage.setItem(LAST_KEY, String(projectId))
    setBuilding(null)
    setShown(null)
  }, [projectId])

  const palette = useMemo(() => (safe ? SAFE_PALETTE : (board?.palette ?? SAFE_PALETTE)), [safe, board?.palette])
  const byId = useMemo(() => new Map((board?.units ?? []).map((u) => [u.id, u])), [board?.units])
  const buildingNames = useMemo(() => new Map((board?.buildings ?? []).map((b) => [b.id, b.name])), [board?.buildings])
  const layouts = useMemo(() => [...new Set((board?.units ?? []).map((u) => u.layout).filter((l): l is string => !!l))].sort(), [board?.units])

  const filtering = layout !== null || priceBand !== null || areaBand !== null
  const dimmed = useMemo(() => {
    if (!filtering || !board) return null
    const out = new Set<number>()
    const [p0, p1] = priceBand ? PRICE_BANDS[priceBand] : [0, Infinity]
    const [a0, a1] = areaBand ? AREA_BANDS[areaBand] : [0, Infinity]
    for (const u of board.units) {
      const ok = (layout === null || u.layout === layout) && u.listPrice >= p0 && u.listPrice < p1 && u.area >= a0 && u.area < a1
      if (!ok) out.add(u.id)
    }
    return out
  }, [filtering, board, layout, priceBand, areaBand])

  const project = projects?.find((p) => p.id === projectId)
  const onHover = useCallback(
    (id: number | null, e: MouseEvent) => {
      tip.current?.show(id === null ? null : (byId.get(id) ?? null), e.clientX, e.clientY)
    },
    [byId],
  )
  const floorLabel = useCallback((f: number) => t('board.floor', { floor: f }), [t])
  const priceOf = useCallback((u: GridUnit) => (u as BoardUnit).tx?.price || u.listPrice, [])
  const buildingNote = useCallback((count: number) => t('board.units', { count }), [t])
  const cellUnits = useMemo(() => cellUnitsOf(t), [t])
  // a building that is gone (another project, a re-import) shows all again
  const only = building !== null && board?.buildings.some((b) => b.id === building) ? building : null
  const printed = useMemo(() => (board ? board.buildings.filter((b) => only === null || b.id === only) : []), [board, only])
  const donePrinting = useCallback(() => setPrinting(false), [])

  const publish = async () => {
    if (projectId === null) return
    setPublishing(true)
    const r = await api.try('board.publish', { projectId })
    setPublishing(false)
    if (r.ok) {
      void message.success(t('board.published'))
      void reloadProjects()
    } else void message.error(boardErrorText(t, r.error))
  }

  return (
    <div className="bc-page">
      <div className="bc-toolbar">
        <Space wrap size={8}>
          <Select
            style={{ width: 220 }}
            placeholder={t('board.pickProject')}
            value={projectId ?? undefined}
            loading={!projects}
            notFoundContent={t('board.noProjects')}
            aria-label={t('board.project')}
            options={(projects ?? []).map((p) => ({ value: p.id, label: t('common.withAside', { text: p.name, aside: t('board.units', { count: p.units }) }) }))}
            onChange={(id: number) => navigate(`/board/${id}`)}
          />
          {mayCall(me.role, 'projects.create') && (
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('board.newProject')}
            </Button>
          )}
          {mayCall(me.role, 'units.import') && projectId !== null && (
            <Button icon={<CloudUploadOutlined />} onClick={() => setImporting(true)}>
              {t('board.import.button')}
            </Button>
          )}
          {isManager && projectId !== null && (
            <Button type="primary" icon={<SendOutlined />} loading={publishing} onClick={() => void publish()} data-testid="publish">
              {t('board.publish')}
            </Button>
          )}
          {board && board.units.length > 0 && <BulkPriceButton units={board.units} buildings={board.buildings} />}
          {mayCall(me.role, 'board.setPalette') && (
            <Button icon={<BgColorsOutlined />} onClick={() => setColouring(true)} data-testid="palette">
              {t('board.palette.button')}
            </Button>
          )}
          {board && board.units.length > 0 && (
            <Button icon={<PrinterOutlined />} onClick={() => setPrinting(true)} loading={printing} data-testid="board-print-button">
              {t('board.print.button')}
            </Button>
          )}
          {board && board.units.length > 0 && projectId !== null && <ExportButton request={{ grid: 'board', query: { projectId } }} />}
          {projectId !== null && (
            <Button icon={<DesktopOutlined />} href={`#/board/display/${projectId}`}>
              {t('board.openDisplay')}
            </Button>
          )}
          {isManager && project && (
            <Typography.Text type="secondary" className="bc-published-note" data-testid="last-published">
              {project.publishedAt ? t('board.lastPublished', { at: formatBranchTime(project.publishedAt) }) : t('board.neverPublished')}
            </Typography.Text>
          )}
        </Space>
        <Space wrap size={8}>
          <Select allowClear style={{ width: 110 }} placeholder={t('board.filter.layout')} value={layout} onChange={(v) => setLayout(v ?? null)} options={layouts.map((l) => ({ value: l, label: l }))} />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('board.filter.price')}
            value={priceBand}
            onChange={(v) => setPriceBand(v ?? null)}
            options={PRICE_BAND_NAMES.map((k) => ({ value: k, label: t(`board.priceBands.${k}`) }))}
          />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('board.filter.area')}
            value={areaBand}
            onChange={(v) => setAreaBand(v ?? null)}
            options={AREA_BAND_NAMES.map((k) => ({ value: k, label: t(`board.areaBands.${k}`) }))}
          />
          {filtering && board && <Typography.Text type="secondary">{t('board.filter.matching', { count: board.units.length - (dimmed?.size ?? 0) })}</Typography.Text>}
          <Space size={4}>
            <Switch
              size="small"
              checked={safe}
              onChange={(v) => {
                setSafe(v)
                localStorage.setItem(SAFE_KEY, v ? '1' : '0')
              }}
              aria-label={t('board.safePalette')}
            />
            <Typography.Text>{t('board.safePalette')}</Typography.Text>
          </Space>
        </Space>
      </div>
      {error && <Alert type="error" showIcon message={boardErrorText(t, error)} />}
      {projects && projects.length === 0 && <Empty image={<AppstoreOutlined style={{ fontSize: 48, color: '#bbb' }} />} description={t('board.noProjects')} />}
      {loading && !board && <Spin style={{ marginTop: 48 }} />}
      {board && (
        <>
          <div className="bc-sticky" data-testid="board-sticky">
            {board.buildings.length > 1 && (
              <div className="bc-building-tabs">
                <Segmented
                  size="small"
                  aria-label={t('board.buildings.label')}
                  value={only ?? 0}
                  onChange={(v) => setBuilding(v === 0 ? null : v)}
                  options={[{ value: 0, label: t('board.buildings.all') }, ...board.buildings.map((b) => ({ value: b.id, label: b.name }))]}
                  data-testid="building-tabs"
                />
              </div>
            )}
            <Legend totals={board.totals} palette={palette} picked={shown} onPick={setShown} />
            {shown && (
              <Typography.Text type="secondary" className="bc-legend-note" data-testid="legend-showing">
                {t('board.legendFilter.showing', { status: statusName(t, shown), count: board.totals.find((x) => x.status === shown)?.count ?? 0 })}
              </Typography.Text>
            )}
          </div>
          {board.units.length === 0 ? (
            <Empty description={t('board.noUnits')} />
          ) : (
            <BoardGrid
              buildings={board.buildings}
              units={board.units}
              palette={palette}
              dimmed={dimmed}
              priceOf={priceOf}
              floorLabel={floorLabel}
              cellUnits={cellUnits}
              buildingNote={buildingNote}
              label={t('board.gridLabel')}
              onHover={onHover}
              onPick={setPicked}
              only={only}
              show={shown}
            />
          )}
          {printing && (
            <BoardPrint
              projectName={board.project.name}
              buildings={printed}
              units={board.units}
              palette={palette}
              priceOf={priceOf}
              cellUnits={cellUnits}
              floorLabel={floorLabel}
              onDone={donePrinting}
            />
          )}
          <UnitTip ref={tip} buildingName={(id) => buildingNames.get(id) ?? ''} />
        </>
      )}
      {picked !== null && board && byId.get(picked) && (
        <UnitDrawer
          unit={byId.get(picked)!}
          buildingName={buildingNames.get(byId.get(picked)!.buildingId) ?? ''}
          units={board.units}
          buildings={board.buildings}
          onClose={() => setPicked(null)}
          onChanged={() => void reload()}
        />
      )}
      {importing && projectId !== null && (
        <ImportModal
          projectId={projectId}
          onClose={() => setImporting(false)}
          onImported={() => {
            void reload()
            void reloadProjects()
          }}
        />
      )}
      {colouring && <PaletteModal onClose={() => setColouring(false)} onSaved={() => void reload()} />}
      {creating && (
        <NewProjectModal
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false)
            void reloadProjects()
            navigate(`/board/${id}`)
          }}
        />
      )}
    </div>
  )
}

function NewProjectModal({ onClose, onCreated }: { onClose(): void; onCreated(id: number): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ name: string; district?: string }>()
  const [busy, setBusy] = useState(false)
  const submit = async (v: { name: string; district?: string }) => {
    setBusy(true)
    const r = await api.try('projects.create', { name: v.name, district: v.district || undefined })
    setBusy(false)
    if (r.ok) {
      void message.success(t('board.created', { name: v.name }))
      onCreated(r.value.id)
    } else void message.error(boardErrorText(t, r.error))
  }
  return (
    <Dialog open title={t('board.newProject')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t('board.projectName')} rules={[{ required: true, max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="district" label={t('board.district')} rules={[{ max: 40 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Dialog>
  )
}
