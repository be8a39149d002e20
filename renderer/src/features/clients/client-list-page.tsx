import { CloseOutlined, ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import type { GridApi } from 'ag-grid-community'
import { App, Button, Segmented, Space, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientRow } from '@shared/contract/clients'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { BulkBar, hasBulkActions } from '../collab/bulk-bar'
import { ExportButton } from '../export/export-button'
import { ImportClientsModal } from '../client-import/import-clients-modal'
import { clientColumns, DEFAULT_HIDDEN } from './client-columns'
import { clientErrorText } from './client-errors'
import { ClientFilters, type OwnerOption } from './client-filters'
import { ClientGrid } from './client-grid'
import {
  BUILT_IN_VIEWS,
  clientDatasource,
  COLUMNS_PREF,
  compactFilter,
  readHiddenColumns,
  readViews,
  roundedTotal,
  toSort,
  VIEWS_PREF,
  type BuiltInView,
  type ClientFilter,
  type ClientSort,
  type SavedView,
} from './client-list-model'
import { ColumnChooser } from './column-chooser'
import { CreateClientModal } from './create-client-modal'
import { RegionTree, useRegions } from './region-tree'
import { SavedViews } from './saved-views'
import { clearListSearch, useListSearch } from './use-list-search'
import { useOwnerOptions } from './use-owner-options'
import { usePref } from './use-pref'

/** The views a role has any use for: the front desk and admins own no clients and have no team. */
function viewsFor(role: string, team: string | null): BuiltInView[] {
  return BUILT_IN_VIEWS.filter((v) => {
    if (v === 'mine') return role === 'agent' || role === 'senior_agent' || role === 'manager'
    if (v === 'team') return (role === 'agent' || role === 'senior_agent') && team !== null
    return true
  })
}

/**
 * 客户 list: built-in views, saved views, filters, the region tree and the grid over every
 * client of the branch. Kept mounted (hidden) while a profile is open so the place in the
 * list survives a look at one client.
 */
export function ClientListPage({ hidden }: { hidden: boolean }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [grid, setGrid] = useState<GridApi<ClientRow> | null>(null)
  const [view, setView] = useState<BuiltInView>('all')
  const [filter, setFilter] = useState<ClientFilter>({})
  const [query, setQuery] = useState<{ view: BuiltInView; filter: ClientFilter }>({ view: 'all', filter: {} })
  const [sort, setSort] = useState<ClientSort | null>(null)
  const [total, setTotal] = useState<{ n: number; exact: boolean } | null>(null)
  const [creating, setCreating] = useState(false)
  const [importing, setImporting] = useState(false)
  const [ticked, setTicked] = useState<ClientRow[]>([])
  const regions = useRegions()
  const owners: OwnerOption[] | null = useOwnerOptions()
  const columnsPref = usePref(COLUMNS_PREF, readHiddenColumns, (hidden) => (hidden === null ? null : { hidden }))
  const viewsPref = usePref(VIEWS_PREF, readViews)
  const pendingSort = useRef<ClientSort | null | undefined>(undefined)
  const listSearch = useListSearch()

  // opened from a search box ("show all in the client list"): every client that search finds
  useEffect(() => {
    if (listSearch === null) return
    setView('all')
    setFilter({ search: listSearch })
  }, [listSearch])

  // filters settle for a moment before the grid asks the host again (typing in 完整度)
  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery((q) => (q.view === view && JSON.stringify(q.filter) === JSON.stringify(filter) ? q : { view, filter }))
    }, 250)
    return () => clearTimeout(timer)
  }, [view, filter])

  const datasource = useMemo(
    () =>
      clientDatasource(api, query, {
        // a later block's "about" the same number does not undo an exact count of this query
        onTotal: (n, exact) => setTotal((prev) => (!exact && prev?.exact && prev.n === n ? prev : { n, exact })),
        onError: (e) => void message.error(t('clients.list.loadFailed', { text: clientErrorText(t, e) })),
      }),
    [api, query, message, t],
  )

  // ticked rows belong to the list they were ticked in: another view or filter starts a new selection
  useEffect(() => {
    grid?.deselectAll()
    setTicked([])
  }, [datasource, grid])

  const hiddenCols = useMemo(() => new Set(columnsPref.value ?? DEFAULT_HIDDEN), [columnsPref.value])
  const columns = useMemo(() => clientColumns(t, hiddenCols), [t, hiddenCols])
  const allColumns = useMemo(() => clientColumns(t, new Set()), [t])

  // coming back from a profile: show what changed there without losing the place in the list
  const wasHidden = useRef(hidden)
  useEffect(() => {
    if (wasHidden.current && !hidden) grid?.refreshInfiniteCache()
    wasHidden.current = hidden
  }, [hidden, grid])

  const applySort = useCallback((api: GridApi<ClientRow>, s: ClientSort | null) => {
    api.applyColumnState({ state: s ? [{ colId: s.field, sort: s.dir }] : [], defaultState: { sort: null } })
  }, [])

  // a new grid (first load, or the language switched) takes the sort on screen or the view just picked
  const sortNow = useRef<ClientSort | null>(null)
  sortNow.current = sort
  const onReady = useCallback(
    (a: GridApi<ClientRow>) => {
      setGrid(a)
      const s = pendingSort.current !== undefined ? pendingSort.current : sortNow.current
      if (s) applySort(a, s)
      pendingSort.current = undefined
    },
    [applySort],
  )

  const onSortChanged = useCallback((a: GridApi<ClientRow>) => {
    const s = a.getColumnState().filter((c) => c.sort)
    setSort(toSort(s.map((c) => ({ colId: c.colId, sort: c.sort ?? 'asc' }))) ?? null)
  }, [])

  function applyView(v: SavedView) {
    setView(viewsFor(me.role, me.team).includes(v.view) ? v.view : 'all')
    setFilter(compactFilter(v.filter))
    setSort(v.sort)
    if (grid) applySort(grid, v.sort)
    else pendingSort.current = v.sort
  }

  const open = useCallback((row: ClientRow) => navigate(`/clients/${row.id}`), [])

  /** The toolbar said "about": count this filter exactly now. */
  async function countExactly() {
    const r = await api.try('clients.list', { view: query.view, filter: query.filter, limit: 1, exactTotal: true })
    if (r.ok) setTotal({ n: r.value.total, exact: true })
    else void message.error(t('clients.list.loadFailed', { text: clientErrorText(t, r.error) }))
  }

  const number = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-US' : 'zh-CN')

  return (
    <div className="clients-page" hidden={hidden}>
      <div className="clients-toolbar">
        <Space wrap>
          <Segmented<BuiltInView>
            aria-label={t('clients.views.label')}
            value={view}
            onChange={setView}
            options={viewsFor(me.role, me.team).map((v) => ({ value: v, label: t(`clients.views.${v}`) }))}
          />
          <SavedViews views={viewsPref.value} current={() => ({ view, filter: compactFilter(filter), sort })} onApply={applyView} onSave={viewsPref.save} />
        </Space>
        <Space wrap>
          {filter.search !== undefined && (
            <Tag data-testid="clients-search-filter">
              {t('clients.list.searchFilter', { q: filter.search })}
              <Button
                type="text"
                size="small"
                icon={<CloseOutlined />}
                aria-label={t('clients.list.clearSearch', { q: filter.search })}
                onClick={() => {
                  setFilter((f) => compactFilter({ ...f, search: undefined }))
                  clearListSearch()
                }}
              />
            </Tag>
          )}
          {total !== null &&
            (total.exact ? (
              <Typography.Text type="secondary" data-testid="clients-total">
                {t('clients.list.total', { n: number(total.n) })}
              </Typography.Text>
            ) : (
              <Button type="link" size="small" data-testid="clients-total" title={t('clients.list.countExactly')} onClick={() => void countExactly()}>
                {t('clients.list.totalAbout', { n: number(roundedTotal(total.n, false)) })}
              </Button>
            ))}
          <ColumnChooser
            columns={allColumns}
            hidden={hiddenCols}
            onChange={(h) => void columnsPref.save(h)}
            onReset={() => void columnsPref.save(null)}
          />
          <Button icon={<ReloadOutlined />} onClick={() => grid?.refreshInfiniteCache()}>
            {t('clients.list.refresh')}
          </Button>
          <ExportButton request={{ grid: 'clients', query: { view: query.view, filter: query.filter, ...(sort ? { sort } : {}) } }} />
          {mayCall(me.role, 'imports.upload') && (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="clients-import">
              {t('clientImport.open')}
            </Button>
          )}
          {mayCall(me.role, 'clients.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('clients.list.create')}
            </Button>
          )}
        </Space>
      </div>
      <ClientFilters value={filter} onChange={setFilter} owners={owners} />
      <BulkBar
        rows={ticked}
        onClear={() => grid?.deselectAll()}
        onDone={() => {
          grid?.deselectAll()
          grid?.refreshInfiniteCache()
        }}
      />
      <div className="clients-body">
        <RegionTree
          regions={regions}
          region={filter.region}
          community={filter.community}
          onPick={(region, community) => setFilter((f) => compactFilter({ ...f, region, community }))}
        />
        <div className="clients-grid-wrap">
          <ClientGrid
            columns={columns}
            datasource={datasource}
            onReady={onReady}
            onSortChanged={onSortChanged}
            onOpen={open}
            onSelectRows={hasBulkActions(me.role) ? setTicked : undefined}
          />
          {total?.n === 0 && (
            <div className="clients-no-rows" role="status">
              {t('clients.list.noRows')}
            </div>
          )}
        </div>
      </div>
      <Typography.Text type="secondary" className="clients-hint">
        {t('clients.list.openHint')}
      </Typography.Text>
      {importing && <ImportClientsModal onClose={() => setImporting(false)} onImported={() => grid?.refreshInfiniteCache()} />}
      {creating && <CreateClientModal onClose={() => setCreating(false)} onCreated={(c) => navigate(`/clients/${c.id}`)} />}
    </div>
  )
}
