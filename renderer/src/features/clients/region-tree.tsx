import { Empty, Spin, Tree, Typography } from 'antd'
import type { DataNode } from 'antd/es/tree'
import { useEffect, useMemo, useState, type Key } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { RegionNode } from '@shared/contract/clients'
import { useApi } from '../../api/session-context'

type Region = z.infer<typeof RegionNode>

const ALL = 'all'

/** The tree key of a region or of one community in it. */
function keyOf(region?: string, community?: string): string {
  if (!region) return ALL
  return community ? `c\u0000${region}\u0000${community}` : `r\u0000${region}`
}

/** The regions of the branch (clients.regionTree), once per page visit. */
export function useRegions(): Region[] | null {
  const api = useApi()
  const [regions, setRegions] = useState<Region[] | null>(null)
  useEffect(() => {
    let live = true
    void api.try('clients.regionTree', {}).then((r) => {
      if (live) setRegions(r.ok ? r.value.regions.filter((n) => n.region !== '') : [])
    })
    return () => {
      live = false
    }
  }, [api])
  return regions
}

/** 片区 / 小区 tree on the left of the list: picking a node filters the grid; arrow keys and Enter work. */
export function RegionTree({
  regions,
  region,
  community,
  onPick,
}: {
  regions: Region[] | null
  region: string | undefined
  community: string | undefined
  onPick(region: string | undefined, community: string | undefined): void
}) {
  const { t, i18n } = useTranslation()
  const [expanded, setExpanded] = useState<Key[]>([ALL])

  const treeData = useMemo<DataNode[]>(() => {
    const total = (regions ?? []).reduce((n, r) => n + r.count, 0)
    const number = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-US' : 'zh-CN')
    return [
      {
        key: ALL,
        title: `${t('clients.list.allRegions')} (${number(total)})`,
        children: (regions ?? []).map((r) => ({
          key: keyOf(r.region),
          title: `${r.region} (${number(r.count)})`,
          children: r.communities.map((c) => ({ key: keyOf(r.region, c.community), title: `${c.community} (${number(c.count)})`, isLeaf: true })),
        })),
      },
    ]
  }, [regions, t, i18n.language])

  useEffect(() => {
    if (region) setExpanded((e) => (e.includes(keyOf(region)) ? e : [...e, keyOf(region)]))
  }, [region])

  return (
    <nav className="clients-tree" aria-label={t('clients.list.regionTree')}>
      <Typography.Text strong className="clients-tree-title">
        {t('clients.list.regionTree')}
      </Typography.Text>
      {regions === null ? (
        <Spin size="small" />
      ) : regions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('clients.list.regionEmpty')} />
      ) : (
        <Tree
          blockNode
          treeData={treeData}
          expandedKeys={expanded}
          onExpand={setExpanded}
          selectedKeys={[keyOf(region, community)]}
          onSelect={(_keys, info) => {
            const parts = String(info.node.key).split('\u0000')
            if (parts[0] === 'c') onPick(parts[1], parts[2])
            else if (parts[0] === 'r') onPick(parts[1], undefined)
            else onPick(undefined, undefined)
          }}
        />
      )}
    </nav>
  )
}
