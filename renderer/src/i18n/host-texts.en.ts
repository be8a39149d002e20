import type { HostTextKey } from '@shared/domain/host-text-keys'

/**
 * The English words of every text the host sends (shared/domain/host-text-keys.ts), each using
 * exactly its key's parameters; `{{ofKey}}` stands for the text it names, `{{names}}` for a list.
 */
export const hostTextsEn: Record<HostTextKey, string> = {
  legacy: '{{text}}',

  'task.needs': 'Record the profile and the needs',
  'task.viewing': 'Follow up after the viewing',
  'task.negotiation': 'Daily follow-up during negotiation',
  'task.contract': 'Prepare the contract after the agreement',
  'task.wake': 'Wake up a quiet client',
  'task.stuck': 'Negotiation overdue: manager to step in',
  'task.claim': 'Follow up the claimed client',
  'task.next': '{{action}}',
  'task.escalation': 'Overdue: {{ofKey}} ({{agent}})',

  'notice.subject': '{{subject}}',
  'notice.tasks': '{{count}} new tasks',
  'notice.tasksAbout': '{{names}} and others',
  'notice.pooled': 'Clients returned to the public pool',
  'notice.pooledClients': '{{names}}',
  'notice.pooledClientsMore': '{{names}} and others, {{count}} clients in all',
  'notice.assigned': 'A new client is assigned to you',
  'notice.assignedClient': '{{client}} ({{ofKey}})',
  'notice.visit': 'Client at the counter',
  'notice.visitClient': '{{client}} ({{code}}) is at the counter; front desk: {{desk}}',
  'notice.changeApproved': 'Change request approved',
  'notice.changeRejected': 'Change request rejected',
  'notice.changeDecided': '{{ofKey}}. {{by}}',
  'notice.changeDecidedOnUnit': '{{ofKey}} · {{unit}}. {{by}}',
  'notice.changeDecidedComment': '{{ofKey}}. {{by}}: {{comment}}',
  'notice.changeDecidedOnUnitComment': '{{ofKey}} · {{unit}}. {{by}}: {{comment}}',
  'notice.collabAsked': 'A colleague asks to collaborate',
  'notice.collabAskedBody': '{{requester}} asks to work {{client}} with you',
  'notice.collabAccepted': 'Collaboration accepted',
  'notice.collabAcceptedBody': '{{by}} accepted: you work {{client}} together',
  'notice.collabDeclined': 'Collaboration declined',
  'notice.collabDeclinedBody': '{{by}} declined your request on {{client}}: {{reason}}',

  'followup.lost': 'Marked lost: {{reason}}. ',
  'followup.collabJoined': '{{requester}} joins as collaborator (with {{owner}}). ',
  'followup.released': 'Handed back to the public pool. ',

  'change.rename': 'Rename',
  'change.swap': 'Unit swap',
  'change.cancel': 'Cancellation',
  'change.price': 'Price change',
  'change.discount': 'Discount',
  'change.bulkPrice': 'Bulk price change',

  'assign.rota': 'New client, by the duty rota',
  'assign.revive': 'Lost client brought back',
  'assign.typed': '{{reason}}',
  'assign.handover': 'Handed over from {{staff}} ({{reason}})',

  'points.viewing': 'Viewing',
  'points.purchase': 'Purchase',
  'points.referral': 'Referral signed: {{client}}',
  'points.activity': 'Activity: {{activity}}',
  'points.mergedOut': 'Merged into client #{{clientId}}',
  'points.mergedIn': 'Merged from client #{{clientId}}',
  'points.typed': '{{reason}}',

  'finance.releaseRefund': 'Refund the deposit of a released unit: {{reason}}',
  'finance.renameReinvoice': 'Rename: reissue the invoice to {{client}}',
  'finance.swapDifference': 'Price difference of the swap ({{unit}})',
  'finance.cancelRefund': 'Refund for the cancellation',
  'finance.discountReinvoice': 'Discount: reissue the invoice',

  'step.receipt': 'Receipt {{receiptNo}}',
  'step.typed': '{{reason}}',
  'step.renamed': 'Renamed to {{client}}',
  'step.swappedTo': 'Swapped to {{unit}}',
  'step.swappedFrom': 'Swapped in from unit {{unitId}}',
  'step.cancelled': 'Cancelled',
  'step.discountApproved': 'Discount approved',

  'import.badChar': 'Contains a character that is not allowed ({{char}})',
  'import.buildingRequired': 'The building is required',
  'import.numberRequired': 'The unit number is required',
  'import.floorRange': 'The floor must be a whole number from -5 to 200',
  'import.areaPositive': 'The area must be a positive number (m²)',
  'import.pricePositive': 'The total price must be a positive number (yuan)',
  'import.duplicateRow': 'Same unit number as row {{row}}',
  'import.exists': '{{building}} {{number}} is already on file',
}
