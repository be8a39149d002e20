import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import { storedText, textOf } from '../../electron/host/db/stored-text'
import { zhText } from '../helpers/host-text'
import { tempDir } from '../helpers/temp-host'

// 009 (host-text): words stored before it become keys where their rule or wording says which,
// else `legacy` with the old words: every row still reads as it did, in Chinese
let dir: string
let db: Database.Database
const HOST_TEXT = MIGRATIONS.findIndex((m) => m.name === 'host-text')

beforeAll(() => {
  dir = tempDir('keyuan-mig-text-')
  db = new Database(path.join(dir, 'm.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'c4'.repeat(32)}'"`)
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.slice(0, HOST_TEXT))
  db.exec(`
    INSERT INTO staff (id, username, name, role, password_hash, created_at, updated_at) VALUES (1, 'a', '甲', 'agent', 'x', 't', 't');
    INSERT INTO clients (id, code, kind, name, source_channel, tier, stage, created_at, updated_at) VALUES (5, 'KY000005', 'person', '周杰', 'phone', 'normal', 'intent', 't', 't');
    INSERT INTO tasks (id, staff_id, client_id, rule, title, detail, due_at, event_key, created_at) VALUES
      (1, 1, 5, 'needs', '建档并确认需求', '周杰', 't', 'needs:5', 't'),
      (2, 1, 5, 'next', '约周六看房', '周杰', 't', 'next:1', 't'),
      (3, 1, 5, 'escalation', '逾期未处理：建档并确认需求', '甲 · 周杰', 't', 'escalation:1:1', 't'),
      (4, 1, 5, 'claim', '认领客户后跟进', '周杰', 't', 'claim:5:t', 't');
    INSERT INTO notifications (staff_id, kind, title, body, client_id, task_id, created_at) VALUES
      (1, 'task', '约周六看房', '周杰', 5, 2, 't'),
      (1, 'pool', '客户已回收至公客池', '周杰、王五', NULL, NULL, 't'),
      (1, 'visit', '客户到店', '周杰（KY000005）已到店，前台：乙', 5, NULL, 't'),
      (1, 'change', '变更申请被驳回', '折扣 · 1号楼-401。王店长：折扣太大', NULL, NULL, 't');
    INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at) VALUES
      (5, 1, 'note', '流失：已在别处购房。客户说不再看了', 't'), (5, 1, 'phone', '流失：不是这个意思', 't');
    INSERT INTO points_ledger (client_id, delta, kind, reason, ref, at) VALUES
      (5, 10, 'viewing', '带看积分', 'viewing:1', 't'), (5, 100, 'referral', '推荐成交：王五', 'referral:1', 't'),
      (5, -110, 'manual', '合并到客户 #9', 'merge-out:5:9', 't'), (5, 5, 'manual', '活动补录', NULL, 't');
    INSERT INTO assignments (client_id, staff_id, reason, assigned_at) VALUES (5, 1, '新客户轮流分配', 't'), (5, 1, '甲离职交接', 't'), (5, 1, '分配', 't');
    INSERT INTO projects (id, name, created_at) VALUES (7, '滨江壹号', 't');
    INSERT INTO buildings (id, project_id, name) VALUES (3, 7, '1号楼');
    INSERT INTO units (id, building_id, floor, number, area, list_price) VALUES (8, 3, 1, '101', 9850, 500000000);
    INSERT INTO unit_transactions (id, unit_id, status, created_at, updated_at) VALUES (9, 8, 'hold', 't', 't');
    INSERT INTO transaction_steps (tx_id, status, note, at) VALUES (9, 'small_deposit', '收据 R-1', 't'), (9, 'hold', '开发商保留', 't'), (9, 'payment', NULL, 't');
    INSERT INTO finance_todos (kind, tx_id, amount, note, created_at) VALUES ('refund', 9, 100, '退房退款', 't'), ('reinvoice', 9, 5, '换房差价（1203）', 't'), ('refund', 9, 1, '手工备注', 't');
  `)
  migrate(db)
})
afterAll(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const all = <T>(q: string) => db.prepare(q).all() as T[]

describe('migration 009: host texts', () => {
  it('tasks: known rule titles become keys, next actions keep their words as the action, the rest is legacy', () => {
    const rows = all<{ text_key: string; text_params: string; detail: string }>('SELECT text_key, text_params, detail FROM tasks ORDER BY id')
    expect(rows.map((r) => textOf(r.text_key, r.text_params))).toEqual([
      { key: 'task.needs', params: {} },
      { key: 'task.next', params: { action: '约周六看房' } },
      { key: 'legacy', params: { text: '逾期未处理：建档并确认需求' } },
      { key: 'task.claim', params: {} },
    ])
    expect(rows.map((r) => r.detail)).toEqual(['周杰', '周杰', '甲 · 周杰', '周杰'])
    expect(all<{ name: string }>(`SELECT name FROM pragma_table_info('tasks')`).map((c) => c.name)).not.toContain('title')
  })

  it('notifications: a task notice reads as its task; fixed titles become keys; bodies keep their words', () => {
    const rows = all<Record<string, string>>('SELECT title_key, title_params, body_key, body_params FROM notifications ORDER BY id')
    const read = rows.map((r) => [zhText(textOf(r.title_key!, r.title_params!)), zhText(textOf(r.body_key!, r.body_params!))])
    expect(read).toEqual([
      ['约周六看房', '周杰'],
      ['客户已回收至公客池', '周杰、王五'],
      ['客户到店', '周杰（KY000005）已到店，前台：乙'],
      ['变更申请被驳回', '折扣 · 1号楼-401。王店长：折扣太大'],
    ])
    expect(rows.map((r) => r.title_key)).toEqual(['task.next', 'notice.pooled', 'notice.visit', 'notice.changeRejected'])
  })

  it("a lost client's note: the reason becomes a key, the typed note stays the content", () => {
    expect(all('SELECT content, text_key, text_params FROM follow_ups ORDER BY id')).toEqual([
      { content: '客户说不再看了', text_key: 'followup.lost', text_params: '{"reason":"已在别处购房"}' },
      { content: '流失：不是这个意思', text_key: null, text_params: null },
    ])
  })

  it('the ledger, assignments, steps and finance notes hold host texts that read as before', () => {
    const texts = (q: string) => all<{ t: string | null }>(q).map((r) => (r.t === null ? null : storedText(r.t)))
    expect(texts('SELECT reason AS t FROM points_ledger ORDER BY id')).toEqual([
      { key: 'points.viewing', params: {} },
      { key: 'points.referral', params: { client: '王五' } },
      { key: 'points.mergedOut', params: { clientId: 9 } },
      { key: 'points.typed', params: { reason: '活动补录' } },
    ])
    expect(texts('SELECT reason AS t FROM assignments ORDER BY id')).toEqual([
      { key: 'assign.rota', params: {} },
      { key: 'legacy', params: { text: '甲离职交接' } },
      { key: 'assign.typed', params: { reason: '分配' } },
    ])
    expect(texts('SELECT note AS t FROM transaction_steps ORDER BY id')).toEqual([{ key: 'step.receipt', params: { receiptNo: 'R-1' } }, { key: 'step.typed', params: { reason: '开发商保留' } }, null])
    expect(texts('SELECT note AS t FROM finance_todos ORDER BY id').map((t) => zhText(t!))).toEqual(['退房退款', '换房差价（1203）', '手工备注'])
  })

  it('the ledger is append-only again afterwards', () => {
    expect(() => db.prepare(`UPDATE points_ledger SET delta = 1`).run()).toThrow(/append-only/)
    expect(db.pragma('foreign_key_check')).toEqual([])
  })
})
