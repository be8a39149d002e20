import { Select, Space } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { statusName } from '../board/format'

type Project = OutputOf<'projects.list'>['projects'][number]
type BoardData = OutputOf<'board.get'>

/** What a typed search is compared with: "1号楼-401", "1-401", "1401", "401" all find 1号楼 401. */
function searchText(building: string, number: string): string {
  const b = building.replace(/[号楼栋座\s]/g, '')
  return `${building}-${number} ${b}-${number} ${b}${number} ${number}`.toLowerCase()
}

/**
 * Picks a unit of the board by project, building and number (typed: "1-401", "401"), for a form
 * field that holds the unit's id (value / onChange as a Form.Item child).
 */
export function UnitPicker({ id, value, onChange }: { id?: string; value?: number; onChange?: (unitId: number | undefined) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [projects, setProjects] = useState<Project[] | null>(null)
  const [projectId, setProjectId] = useState<number | null>(null)
  const [board, setBoard] = useState<BoardData | null>(null)

  useEffect(() => {
    void api.try('projects.list', {}).then((r) => {
      if (!r.ok) return
      setProjects(r.value.projects)
      const first = r.value.projects[0]
      if (first) setProjectId((p) => p ?? first.id)
    })
  }, [api])

  useEffect(() => {
    if (projectId === null) return
    setBoard(null)
    void api.try('board.get', { projectId }).then((r) => r.ok && setBoard(r.value))
  }, [api, projectId])

  const options = useMemo(() => {
    if (!board) return []
    const names = new Map(board.buildings.map((b) => [b.id, b.name]))
    return board.units.map((u) => {
      const building = names.get(u.buildingId) ?? ''
      return { value: u.id, label: `${building}-${u.number} · ${statusName(t, u.status)}`, search: searchText(building, u.number) }
    })
  }, [board, t])

  return (
    <Space.Compact style={{ width: '100%' }}>
      {projects && projects.length > 1 && (
        <Select
          aria-label={t('work.viewing.project')}
          style={{ width: 160 }}
          value={projectId ?? undefined}
          onChange={(p: number) => {
            setProjectId(p)
            onChange?.(undefined)
          }}
          options={projects.map((p) => ({ value: p.id, label: p.name }))}
        />
      )}
      <Select
        id={id}
        showSearch
        allowClear
        value={value}
        onChange={(v: number | undefined) => onChange?.(v)}
        loading={board === null && projects !== null && projects.length > 0}
        placeholder={t('work.viewing.unitPlaceholder')}
        notFoundContent={projects && projects.length === 0 ? t('work.viewing.noProjects') : undefined}
        options={options}
        filterOption={(input, o) => (o?.search ?? '').includes(input.trim().toLowerCase())}
        style={{ flex: 1 }}
      />
    </Space.Compact>
  )
}
