import type { TFunction } from 'i18next'
import { z } from 'zod'
import type { OutputOf } from '@shared/contract'
import { BulkPriceItemStored } from '@shared/contract/changes'
import { formatBranchTime } from '@shared/domain/branch-time'
import { signedWan, wan } from './format'

type Request = OutputOf<'changes.list'>['requests'][number]

const BulkPayload = z.object({ items: z.array(BulkPriceItemStored) })

/** The units and prices of a 批量调价 request (null for other kinds). */
export function bulkItems(r: Pick<Request, 'kind' | 'payload'>): BulkPriceItemStored[] | null {
  if (r.kind !== 'bulkPrice') return null
  const p = BulkPayload.safeParse(r.payload)
  return p.success ? p.data.items : null
}

/** A change request's payload in words ("换到房源 #12", "折后价 268 万元", "12 套房源调整标价…"). */
export function payloadText(t: TFunction, r: Pick<Request, 'kind' | 'payload' | 'labels'>): string {
  const items = bulkItems(r)
  if (items) return t('board.payload.bulkPrice', { count: items.length, delta: signedWan(items.reduce((sum, it) => sum + it.listPrice - it.was, 0)) })
  const p = r.payload
  const money = (k: string) => (typeof p[k] === 'number' ? wan(p[k]) : String(p[k] ?? ''))
  return t(`board.payload.${r.kind}`, {
    ...p,
    listPrice: money('listPrice'),
    price: money('price'),
    client: r.labels.client ?? `#${String(p.clientId)}`,
    toUnit: r.labels.toUnit ?? `#${String(p.toUnitId)}`,
  })
}

/** A percentage with one decimal ("7.1%"), signed when asked ("+2.5%", "-4.3%"). */
function percent(part: number, whole: number, signed = false): string {
  const v = Number(((part / whole) * 100).toFixed(1))
  return `${signed && v > 0 ? '+' : ''}${v}%`
}

/**
 * What a request changes, before → after ("成交价 280 万元 → 260 万元（标价 288 万元，优惠 9.7%）",
 * "买受人 张三 → 李四"); the payload alone for 批量调价 and requests kept without their "before".
 */
export function changeText(t: TFunction, r: Pick<Request, 'kind' | 'payload' | 'labels' | 'before'>): string {
  const b = r.before
  const p = r.payload
  const num = (k: string) => (typeof p[k] === 'number' ? p[k] : null)
  if (!b) return payloadText(t, r)
  switch (r.kind) {
    case 'rename':
      return t('board.beforeAfter.rename', { from: b.client ?? '—', to: r.labels.client ?? `#${String(p.clientId)}` })
    case 'swap':
      return t('board.beforeAfter.swap', { from: b.unit, to: r.labels.toUnit ?? `#${String(p.toUnitId)}` })
    case 'cancel':
      return t('board.beforeAfter.cancel', { unit: b.unit, client: b.client ?? '—', price: b.price === null ? '—' : wan(b.price) })
    case 'price': {
      const to = num('listPrice')
      if (to === null) return payloadText(t, r)
      return t('board.beforeAfter.price', { from: wan(b.listPrice), to: wan(to), pct: percent(to - b.listPrice, b.listPrice, true) })
    }
    case 'discount': {
      const to = num('price')
      if (to === null || b.price === null) return payloadText(t, r)
      return t('board.beforeAfter.discount', { from: wan(b.price), to: wan(to), list: wan(b.listPrice), pct: percent(b.listPrice - to, b.listPrice) })
    }
    case 'bulkPrice':
      return payloadText(t, r)
  }
}

/** One approval step in words: "王店长 通过 2026-11-25 10:00：价格合理", or that it waits. */
export function decisionText(t: TFunction, s: Request['steps'][number]): string {
  if (!s.decision) return t('board.approvals.waiting')
  const line = `${s.by ?? ''} ${t(`board.approvals.decision.${s.decision}`)} ${s.at ? formatBranchTime(s.at) : ''}`
  return s.comment ? t('common.withNote', { text: line, note: s.comment }) : line
}
