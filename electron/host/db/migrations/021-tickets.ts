import type { Migration } from '../migration'

/**
 * Complaints and service tickets (issue #20): the standard taxonomy (seed 001) with the hours a
 * ticket of each category has per client tier (seed 004: VIP answered first), seeded with the
 * defaults (DEFAULT_TICKET_CATEGORIES in shared/domain/tickets.ts, written out here because a
 * migration never changes) and edited by the manager; and the tickets, each for one client, taken
 * in by someone, dispatched to someone with a deadline, handled, fed back and closed after a return visit. An
 * overdue ticket is an overdue task (rule 'ticket', event key ticket:<id>:<dispatch>), so the
 * follow-up engine escalates it like any other.
 */
export const m021Tickets: Migration = {
  version: 21,
  name: 'tickets',
  up: `
    CREATE TABLE ticket_categories (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('complaint','owner_service','post_sale')),
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      hours_vip INTEGER NOT NULL CHECK (hours_vip BETWEEN 1 AND 720),
      hours_key INTEGER NOT NULL CHECK (hours_key BETWEEN 1 AND 720),
      hours_normal INTEGER NOT NULL CHECK (hours_normal BETWEEN 1 AND 720),
      hours_potential INTEGER NOT NULL CHECK (hours_potential BETWEEN 1 AND 720),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
      sort INTEGER NOT NULL DEFAULT 0,
      version INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    INSERT INTO ticket_categories (code, kind, name_zh, name_en, hours_vip, hours_key, hours_normal, hours_potential, sort) VALUES
      ('attitude', 'complaint', '服务态度', 'Service attitude', 4, 12, 24, 24, 0),
      ('promise', 'complaint', '承诺未兑现', 'Promise not kept', 4, 12, 24, 24, 1),
      ('listing', 'complaint', '房源信息不实', 'Listing information wrong', 8, 24, 48, 48, 2),
      ('fees', 'complaint', '费用与合同', 'Fees and contract', 8, 24, 48, 48, 3),
      ('refund', 'complaint', '退订退款', 'Deposit refund', 8, 24, 48, 48, 4),
      ('owner_request', 'owner_service', '业主服务请求', 'Owner service request', 8, 24, 48, 72, 5),
      ('handover', 'post_sale', '交房', 'Handover', 24, 48, 72, 72, 6),
      ('defect_doors', 'post_sale', '验房问题：门窗', 'Inspection defect: doors and windows', 24, 48, 72, 72, 7),
      ('defect_plumbing', 'post_sale', '验房问题：水电', 'Inspection defect: plumbing and wiring', 24, 48, 72, 72, 8),
      ('defect_walls', 'post_sale', '验房问题：墙地面与渗漏', 'Inspection defect: walls, floors and leaks', 24, 48, 72, 72, 9),
      ('other', 'complaint', '其他', 'Other', 8, 24, 48, 48, 10);
    CREATE TABLE tickets (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      category_id INTEGER NOT NULL REFERENCES ticket_categories(id),
      channel TEXT NOT NULL CHECK (channel IN ('phone','visit','desk')),
      content TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('new','dispatched','handling','fed_back','closed')),
      intake_by INTEGER NOT NULL REFERENCES staff(id),
      assignee_id INTEGER REFERENCES staff(id),
      deadline_at TEXT,
      dispatches INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      dispatched_at TEXT,
      handling_at TEXT,
      fed_back_at TEXT,
      feedback TEXT,
      closed_at TEXT,
      return_visit TEXT,
      satisfaction INTEGER CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 0,
      CHECK ((state = 'closed') = (satisfaction IS NOT NULL))
    ) STRICT;
    CREATE INDEX tickets_client ON tickets(client_id, id);
    CREATE INDEX tickets_assignee ON tickets(assignee_id, state);
    CREATE INDEX tickets_intake ON tickets(intake_by, id);
    CREATE INDEX tickets_state ON tickets(state, id);
  `,
}
