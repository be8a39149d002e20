import type { z } from 'zod'
import type { CollabRequest } from '@shared/contract/collab'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf, SessionInfo } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { insertFollowUp } from '../followups/followups.repository'
import { notify } from '../notifications/notice'
import { answerRequest, findRequest, inboxPage, type RequestRow } from './collab.repository'

type Request = z.infer<typeof CollabRequest>

/** Who answers a request: the client's owner now, or a manager; only while it is open. */
function mayAnswer(s: SessionInfo, r: RequestRow): boolean {
  return r.status === 'open' && (s.role === 'manager' || (r.owner_id !== null && r.owner_id === s.staffId))
}

function toRequest(r: RequestRow, s: SessionInfo): Request {
  return {
    id: r.id,
    clientId: r.client_id,
    clientCode: r.client_code,
    clientName: r.client_name,
    requester: { id: r.requester_id, name: r.requester_name },
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? '' },
    note: r.note,
    status: r.status as Request['status'],
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by === null ? null : { id: r.decided_by, name: r.decider_name ?? '' },
    reason: r.decision_reason,
    version: r.version,
    mayAnswer: mayAnswer(s, r),
  }
}

/** 申请协作 answered: the inbox of requests and the owner's (or a manager's) answer to one. */
export const collabHandlers: HandlersOf<'collab'> = {
  'collab.inbox': async ({ box, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const scope = box === 'outgoing' ? { requester: s.staffId } : { answeredBy: s.role === 'manager' ? ('any' as const) : s.staffId }
    const page = await inboxPage(ctx.db, scope, offset, limit)
    return { rows: page.rows.map((r) => toRequest(r, s)), total: page.total, open: page.open }
  },

  'collab.answer': async ({ id, version, accept, reason }, ctx) => {
    const s = requireSession(ctx)
    const r = await findRequest(ctx.db, id)
    // a request of someone else's client is nobody's business but its owner's and the managers'
    const answerer = r !== undefined && (s.role === 'manager' || (r.owner_id !== null && r.owner_id === s.staffId))
    if (!r || !answerer) throw new ApiFailure('FORBIDDEN', 'only the client’s owner or a manager answers this request', 'id', 'not_answerer')
    if (r.status !== 'open' || r.version !== version) {
      throw new ApiFailure('STALE_WRITE', 'this request was answered meanwhile', 'version', 'request_answered', { by: r.decider_name ?? '' })
    }
    if (r.requester_active !== 1) throw new ApiFailure('CONFLICT', `${r.requester_name} has left the branch`, 'id', 'requester_left')
    const words = reason?.trim() ? reason.trim() : null
    if (!accept && words === null) throw new ApiFailure('VALIDATION', 'say why you decline', 'reason', 'decline_reason')
    const at = ctx.clock.now().toISOString()
    if (!(await answerRequest(ctx.db, id, version, { status: accept ? 'accepted' : 'declined', by: s.staffId, reason: words, at }))) {
      throw new ApiFailure('STALE_WRITE', 'this request was answered meanwhile', 'version', 'request_answered', { by: '' })
    }
    if (accept) {
      // the shared log says who works the client now, beside whom (seed 002 协作日志)
      await insertFollowUp(ctx.db, {
        clientId: r.client_id,
        staffId: s.staffId,
        channel: 'note',
        content: r.note,
        text: hostTextOf('followup.collabJoined', { requester: r.requester_name, owner: r.owner_name ?? s.name }),
        at,
      })
    }
    await notify(ctx, [
      {
        staffId: r.requester_id,
        kind: 'collab',
        title: hostTextOf(accept ? 'notice.collabAccepted' : 'notice.collabDeclined'),
        body: accept
          ? hostTextOf('notice.collabAcceptedBody', { client: r.client_name, by: s.name })
          : hostTextOf('notice.collabDeclinedBody', { client: r.client_name, by: s.name, reason: words ?? '' }),
        clientId: r.client_id,
        taskId: null,
      },
    ])
    ctx.auditTarget(`client:${r.client_id}`)
    const after = await findRequest(ctx.db, id)
    return toRequest(after!, s)
  },
}
