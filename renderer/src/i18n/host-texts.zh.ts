import type { HostTextKey } from '@shared/domain/host-text-keys'

/**
 * The Chinese words of every text the host sends (shared/domain/host-text-keys.ts), each using
 * exactly its key's parameters; `{{ofKey}}` stands for the text it names, `{{names}}` for a list.
 */
export const hostTextsZh: Record<HostTextKey, string> = {
  legacy: '{{text}}',

  'task.needs': '建档并确认需求',
  'task.viewing': '带看后回访',
  'task.negotiation': '谈判中每日跟进',
  'task.contract': '达成意向后准备签约',
  'task.wake': '沉睡客户唤醒',
  'task.stuck': '谈判超期，店长介入',
  'task.claim': '认领客户后跟进',
  'task.next': '{{action}}',
  'task.escalation': '逾期未处理：{{ofKey}}（{{agent}}）',

  'notice.subject': '{{subject}}',
  'notice.tasks': '{{count}} 项新任务',
  'notice.tasksAbout': '{{names}} 等',
  'notice.pooled': '客户已回收至公客池',
  'notice.pooledClients': '{{names}}',
  'notice.pooledClientsMore': '{{names}} 等 {{count}} 位客户',
  'notice.assigned': '新客户分配给你',
  'notice.assignedClient': '{{client}}（{{ofKey}}）',
  'notice.visit': '客户到店',
  'notice.visitClient': '{{client}}（{{code}}）已到店，前台：{{desk}}',
  'notice.changeApproved': '变更申请已批准',
  'notice.changeRejected': '变更申请被驳回',
  'notice.changeDecided': '{{ofKey}}。{{by}}',
  'notice.changeDecidedOnUnit': '{{ofKey}} · {{unit}}。{{by}}',
  'notice.changeDecidedComment': '{{ofKey}}。{{by}}：{{comment}}',
  'notice.changeDecidedOnUnitComment': '{{ofKey}} · {{unit}}。{{by}}：{{comment}}',
  'notice.collabAsked': '有同事申请协作',
  'notice.collabAskedBody': '{{requester}} 申请协作跟进 {{client}}',
  'notice.collabAccepted': '协作申请已同意',
  'notice.collabAcceptedBody': '{{by}} 同意你协作跟进 {{client}}',
  'notice.collabDeclined': '协作申请未通过',
  'notice.collabDeclinedBody': '{{by}} 未同意你协作跟进 {{client}}：{{reason}}',

  'followup.lost': '流失：{{reason}}。',
  'followup.collabJoined': '{{requester}} 加入协作（与 {{owner}} 共同跟进）。',
  'followup.released': '退回公客池。',

  'change.rename': '更名',
  'change.swap': '换房',
  'change.cancel': '退房',
  'change.price': '调价',
  'change.discount': '折扣',
  'change.bulkPrice': '批量调价',

  'assign.rota': '新客户轮流分配',
  'assign.revive': '唤回流失客户',
  'assign.typed': '{{reason}}',
  'assign.handover': '{{staff}}{{reason}}交接',

  'points.viewing': '带看积分',
  'points.purchase': '成交积分',
  'points.referral': '推荐成交：{{client}}',
  'points.activity': '参加活动：{{activity}}',
  'points.mergedOut': '合并到客户 #{{clientId}}',
  'points.mergedIn': '合并自客户 #{{clientId}}',
  'points.typed': '{{reason}}',

  'finance.releaseRefund': '释放房源退还定金：{{reason}}',
  'finance.renameReinvoice': '更名：重开票据给 {{client}}',
  'finance.swapDifference': '换房差价（{{unit}}）',
  'finance.cancelRefund': '退房退款',
  'finance.discountReinvoice': '折扣：重开票据',

  'step.receipt': '收据 {{receiptNo}}',
  'step.typed': '{{reason}}',
  'step.renamed': '更名为 {{client}}',
  'step.swappedTo': '换房至 {{unit}}',
  'step.swappedFrom': '由 {{unitId}} 换入',
  'step.cancelled': '退房',
  'step.discountApproved': '折扣审批通过',

  'import.badChar': '含有不允许的字符（{{char}}）',
  'import.buildingRequired': '楼栋不能为空',
  'import.numberRequired': '房号不能为空',
  'import.floorRange': '楼层应为 -5 到 200 的整数',
  'import.areaPositive': '面积应为正数（平方米）',
  'import.pricePositive': '总价应为正数（元）',
  'import.duplicateRow': '与第 {{row}} 行房号重复',
  'import.exists': '{{building}} {{number}} 已存在',
}
