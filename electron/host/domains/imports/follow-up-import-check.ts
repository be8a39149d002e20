import type { ImportCounts } from '@shared/contract/imports'
import type { ImportedFollowUp } from '@shared/domain/follow-up-import-row'
import type { CheckedFollowUpRow } from './check-thread-protocol'
import type { RowJudge, Verdict } from './import-check'
import { clientsByCodes, clientsByNames, clientsByPhones, followUpKey, recordedFollowUps } from './imports.repository'

/** A follow-up row as the import job writes it: the client found, and the row's values. */
export interface FollowUpToWrite {
  clientId: number
  at: string
  channel: ImportedFollowUp['channel']
  content: string
  staffId: number
  nextAction: string | null
  nextDueAt: string | null
}

interface FoundClient {
  id: number
  code: string
  name: string
}

type Resolved = { ok: true; client: FoundClient } | { ok: false; field: 'clientCode' | 'clientPhone' | 'clientName'; reason: 'client_not_found' | 'client_ambiguous' | 'client_mismatch'; params: Record<string, string | number> }

/**
 * Follow-up history rows: refuse (the field and why: the row's own checks, or no client, several
 * clients, or a code, phone and name naming different clients), skip (the same client, time and
 * content as an earlier row of the file, or as a follow-up already in the book: so importing the
 * same sheet again writes nothing twice) or create. The client is found by 客户编号, else 客户电话,
 * else 客户姓名 when that name is one client's alone; a name beside a code or phone must be that
 * client's.
 */
export function followUpJudge(importId: number, counts: ImportCounts): RowJudge<CheckedFollowUpRow> {
  const firstRowOfKey = new Map<string, number>()

  return async (db, batch) => {
    const rows: Verdict[] = []
    const keys = batch.flatMap((b) => (b.check.ok ? [b.check.value.client] : []))
    // one after the other: inside the slice's transaction the connection takes one statement at a time
    const byCode = await clientsByCodes(db, [...new Set(keys.flatMap((k) => (k.code ? [k.code] : [])))])
    const byPhone = await clientsByPhones(db, [...new Set(keys.flatMap((k) => (k.e164 ? [k.e164] : [])))])
    const byName = await clientsByNames(db, [...new Set(keys.flatMap((k) => (k.name && !k.code && !k.e164 ? [k.name] : [])))])
    const codeMap = new Map(byCode.map((c) => [c.code, c]))
    const phoneMap = new Map(byPhone.map((c) => [c.e164, c]))
    const nameMap = new Map<string, FoundClient[]>()
    for (const c of byName) nameMap.set(c.name, [...(nameMap.get(c.name) ?? []), c])

    const resolve = (k: ImportedFollowUp['client'], phoneCell: string): Resolved => {
      const viaCode = k.code ? codeMap.get(k.code) : undefined
      if (k.code && !viaCode) return { ok: false, field: 'clientCode', reason: 'client_not_found', params: { value: k.code } }
      const viaPhone = k.e164 ? phoneMap.get(k.e164) : undefined
      if (k.e164 && !viaPhone) return { ok: false, field: 'clientPhone', reason: 'client_not_found', params: { value: phoneCell.slice(0, 40) } }
      if (viaCode && viaPhone && viaCode.id !== viaPhone.id) return { ok: false, field: 'clientPhone', reason: 'client_mismatch', params: { value: viaCode.code } }
      const found = viaCode ?? viaPhone
      if (found) {
        if (k.name && k.name !== found.name) return { ok: false, field: 'clientName', reason: 'client_mismatch', params: { value: found.code } }
        return { ok: true, client: found }
      }
      const named = nameMap.get(k.name ?? '') ?? []
      if (named.length === 0) return { ok: false, field: 'clientName', reason: 'client_not_found', params: { value: (k.name ?? '').slice(0, 40) } }
      if (named.length > 1) return { ok: false, field: 'clientName', reason: 'client_ambiguous', params: { count: named.length } }
      return { ok: true, client: named[0]! }
    }

    const judged = batch.map((b) => ({ b, resolved: b.check.ok ? resolve(b.check.value.client, b.phoneCell) : null }))
    const recorded = await recordedFollowUps(
      db,
      judged.flatMap(({ b, resolved }) => (b.check.ok && resolved?.ok ? [{ clientId: resolved.client.id, at: b.check.value.at }] : [])),
    )
    for (const { b, resolved } of judged) {
      const base = { import_id: importId, row_no: b.rowNo, raw: b.raw, value: '{}' }
      if (!b.check.ok) {
        const { field, reason, params } = b.check.refusal
        rows.push({ ...base, verdict: 'refuse', field, reason, params: params ? JSON.stringify(params) : null })
        counts.refuse++
        continue
      }
      if (!resolved?.ok) {
        rows.push({ ...base, verdict: 'refuse', field: resolved?.field ?? 'clientPhone', reason: resolved?.reason ?? 'client_not_found', params: JSON.stringify(resolved?.params ?? {}) })
        counts.refuse++
        continue
      }
      const v = b.check.value
      const client = resolved.client
      const key = followUpKey(client.id, v.at, v.content)
      const earlier = firstRowOfKey.get(key)
      if (earlier !== undefined || recorded.has(key)) {
        rows.push({ ...base, verdict: 'skip', reason: earlier !== undefined ? 'same_as_row' : 'already_recorded', params: earlier !== undefined ? JSON.stringify({ row: earlier }) : null, client_id: client.id })
        counts.skip++
        continue
      }
      firstRowOfKey.set(key, b.rowNo)
      const write: FollowUpToWrite = { clientId: client.id, at: v.at, channel: v.channel, content: v.content, staffId: v.staffId, nextAction: v.nextAction, nextDueAt: v.nextDueAt }
      rows.push({ ...base, verdict: 'create', value: JSON.stringify(write), client_id: client.id })
      counts.create++
    }
    return rows
  }
}
