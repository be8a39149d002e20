import type { Migration } from '../migration'

/** `{"key":…,"params":{}}` in SQL: a host text without parameters. */
const bare = (key: string) => `'{"key":"${key}","params":{}}'`
/** a host text with parameters (SQL expressions), as JSON. */
const withParams = (key: string, params: string) => `json_object('key', '${key}', 'params', json_object(${params}))`
const legacy = (col: string) => withParams('legacy', `'text', ${col}`)

/**
 * No words composed on the host: what a person reads is stored as a key of
 * shared/domain/host-text-keys.ts and its parameters, and worded by the renderer. Tasks get
 * text_key + text_params (their title), notifications title_* and body_*, a lost client's
 * follow-up note text_* (its reason; the note as typed stays the content). Points ledger
 * reasons, transaction step notes, finance to-do notes and assignment reasons keep their
 * column and hold the host text as JSON. Rows already stored are mapped to the key their rule,
 * kind or fixed wording says, else to `legacy` carrying the old text: nothing is lost.
 */
export const m009HostText: Migration = {
  version: 9,
  name: 'host-text',
  up: `
    ALTER TABLE tasks ADD COLUMN text_key TEXT NOT NULL DEFAULT 'legacy';
    ALTER TABLE tasks ADD COLUMN text_params TEXT NOT NULL DEFAULT '{}';
    UPDATE tasks SET text_params = json_object('text', title);
    UPDATE tasks SET text_key = 'task.' || rule, text_params = '{}'
      WHERE (rule, title) IN (VALUES ('needs', '建档并确认需求'), ('viewing', '带看后回访'), ('negotiation', '谈判中每日跟进'),
        ('contract', '达成意向后准备签约'), ('wake', '沉睡客户唤醒'), ('stuck', '谈判超期，店长介入'), ('claim', '认领客户后跟进'));
    UPDATE tasks SET text_key = 'task.next', text_params = json_object('action', title) WHERE rule = 'next';
    ALTER TABLE tasks DROP COLUMN title;

    ALTER TABLE notifications ADD COLUMN title_key TEXT NOT NULL DEFAULT 'legacy';
    ALTER TABLE notifications ADD COLUMN title_params TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE notifications ADD COLUMN body_key TEXT NOT NULL DEFAULT 'legacy';
    ALTER TABLE notifications ADD COLUMN body_params TEXT NOT NULL DEFAULT '{}';
    UPDATE notifications SET title_params = json_object('text', title), body_params = json_object('text', body);
    -- a task's notice reads as its task, about what the task is about
    UPDATE notifications SET
        title_key = (SELECT t.text_key FROM tasks t WHERE t.id = notifications.task_id),
        title_params = (SELECT t.text_params FROM tasks t WHERE t.id = notifications.task_id),
        body_key = 'notice.subject', body_params = json_object('subject', body)
      WHERE kind = 'task' AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = notifications.task_id);
    UPDATE notifications SET title_key = 'notice.pooled', title_params = '{}' WHERE kind = 'pool' AND title = '客户已回收至公客池';
    UPDATE notifications SET title_key = 'notice.assigned', title_params = '{}' WHERE kind = 'assignment' AND title = '新客户分配给你';
    UPDATE notifications SET title_key = 'notice.visit', title_params = '{}' WHERE kind = 'visit' AND title = '客户到店';
    UPDATE notifications SET title_key = 'notice.changeApproved', title_params = '{}' WHERE kind = 'change' AND title = '变更申请已批准';
    UPDATE notifications SET title_key = 'notice.changeRejected', title_params = '{}' WHERE kind = 'change' AND title = '变更申请被驳回';
    ALTER TABLE notifications DROP COLUMN title;
    ALTER TABLE notifications DROP COLUMN body;

    ALTER TABLE follow_ups ADD COLUMN text_key TEXT;
    ALTER TABLE follow_ups ADD COLUMN text_params TEXT;
    UPDATE follow_ups SET text_key = 'followup.lost',
        text_params = json_object('reason', substr(content, 4, instr(content, '。') - 4)),
        content = substr(content, instr(content, '。') + 1)
      WHERE channel = 'note' AND content LIKE '流失：%' AND instr(content, '。') > 0;

    -- the ledger stays append-only for the app; this one step words its reasons as keys
    DROP TRIGGER points_ledger_no_update;
    UPDATE points_ledger SET reason = CASE
        WHEN kind = 'viewing' AND reason = '带看积分' THEN ${bare('points.viewing')}
        WHEN kind = 'purchase' AND reason = '成交积分' THEN ${bare('points.purchase')}
        WHEN kind = 'referral' AND reason LIKE '推荐成交：%' THEN ${withParams('points.referral', `'client', substr(reason, 6)`)}
        WHEN kind = 'activity' AND reason LIKE '参加活动：%' THEN ${withParams('points.activity', `'activity', substr(reason, 6)`)}
        WHEN kind = 'manual' AND reason GLOB '合并到客户 #[0-9]*' THEN ${withParams('points.mergedOut', `'clientId', CAST(substr(reason, 8) AS INTEGER)`)}
        WHEN kind = 'manual' AND reason GLOB '合并自客户 #[0-9]*' THEN ${withParams('points.mergedIn', `'clientId', CAST(substr(reason, 8) AS INTEGER)`)}
        WHEN kind IN ('manual', 'reversal') THEN ${withParams('points.typed', `'reason', reason`)}
        ELSE ${legacy('reason')} END;
    CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger
      BEGIN SELECT RAISE(ABORT, 'points_ledger is append-only'); END;

    UPDATE transaction_steps SET note = CASE
        WHEN note LIKE '收据 %' THEN ${withParams('step.receipt', `'receiptNo', substr(note, 4)`)}
        WHEN note LIKE '更名为 %' THEN ${withParams('step.renamed', `'client', substr(note, 5)`)}
        WHEN note LIKE '换房至 %' THEN ${withParams('step.swappedTo', `'unit', substr(note, 5)`)}
        WHEN status = 'cancelled' AND note = '退房' THEN ${bare('step.cancelled')}
        WHEN status = 'discount' AND note = '折扣审批通过' THEN ${bare('step.discountApproved')}
        WHEN status IN ('hold', 'withheld', 'released') THEN ${withParams('step.typed', `'reason', note`)}
        ELSE ${legacy('note')} END
      WHERE note IS NOT NULL;

    UPDATE finance_todos SET note = CASE
        WHEN note = '退房退款' THEN ${bare('finance.cancelRefund')}
        WHEN note = '折扣：重开票据' THEN ${bare('finance.discountReinvoice')}
        WHEN note LIKE '更名：重开票据给 %' THEN ${withParams('finance.renameReinvoice', `'client', substr(note, 10)`)}
        WHEN note LIKE '换房差价（%）' THEN ${withParams('finance.swapDifference', `'unit', substr(note, 6, length(note) - 6)`)}
        WHEN note LIKE '释放房源退还定金：%' THEN ${withParams('finance.releaseRefund', `'reason', substr(note, 10)`)}
        ELSE ${legacy('note')} END;

    UPDATE assignments SET reason = CASE
        WHEN reason = '新客户轮流分配' THEN ${bare('assign.rota')}
        WHEN reason = '唤回流失客户' THEN ${bare('assign.revive')}
        WHEN reason LIKE '%交接' THEN ${legacy('reason')}
        ELSE ${withParams('assign.typed', `'reason', reason`)} END;
  `,
}
