import type { Migration } from '../migration'

/** Follow-ups, viewings, tasks and notifications, the duty roster, questionnaires; client activity columns for the rules. */
export const m003FollowUpEngine: Migration = {
  version: 3,
  name: 'follow-up-engine',
  up: `
    ALTER TABLE clients ADD COLUMN last_activity_at TEXT;
    ALTER TABLE clients ADD COLUMN stage_changed_at TEXT;
    ALTER TABLE clients ADD COLUMN intention TEXT;
    ALTER TABLE clients ADD COLUMN agreed_at TEXT;
    ALTER TABLE clients ADD COLUMN claimed_at TEXT;
    ALTER TABLE clients ADD COLUMN pooled_at TEXT;
    ALTER TABLE clients ADD COLUMN lost_reason TEXT;
    ALTER TABLE clients ADD COLUMN lost_at TEXT;
    ALTER TABLE clients ADD COLUMN lost_from_stage TEXT;
    UPDATE clients SET last_activity_at = coalesce(last_follow_up_at, created_at), stage_changed_at = created_at;
    CREATE INDEX clients_activity ON clients(last_activity_at) WHERE merged_into IS NULL AND owner_id IS NOT NULL;
    CREATE INDEX clients_pool ON clients(pooled_at, id) WHERE merged_into IS NULL AND owner_id IS NULL;

    CREATE TABLE follow_ups (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      channel TEXT NOT NULL CHECK (channel IN ('phone','wechat','visit','viewing','sms','note')),
      content TEXT NOT NULL,
      intention TEXT,
      stage_to TEXT,
      next_action TEXT,
      next_due_at TEXT,
      answers TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX follow_ups_client ON follow_ups(client_id, created_at);
    CREATE INDEX follow_ups_staff ON follow_ups(staff_id, created_at);

    CREATE TABLE viewings (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      agent_id INTEGER NOT NULL REFERENCES staff(id),
      unit_id INTEGER,
      address TEXT,
      starts_at TEXT NOT NULL,
      ends_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked','done','no_show','cancelled')),
      feedback TEXT,
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 0,
      CHECK (ends_at > starts_at),
      CHECK (unit_id IS NOT NULL OR length(address) > 0)
    ) STRICT;
    CREATE INDEX viewings_agent ON viewings(agent_id, starts_at);
    CREATE INDEX viewings_client ON viewings(client_id, starts_at);
    CREATE INDEX viewings_unit ON viewings(unit_id, starts_at) WHERE unit_id IS NOT NULL;
    CREATE INDEX viewings_done ON viewings(status, ends_at);

    CREATE TABLE tasks (
      id INTEGER PRIMARY KEY,
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      client_id INTEGER REFERENCES clients(id),
      rule TEXT NOT NULL,
      title TEXT NOT NULL,
      detail TEXT,
      due_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
      -- one task per rule firing: the scheduler may run any number of times
      event_key TEXT NOT NULL UNIQUE,
      escalated_at TEXT,
      created_at TEXT NOT NULL,
      done_at TEXT
    ) STRICT;
    CREATE INDEX tasks_staff_open ON tasks(staff_id, status, due_at);
    CREATE INDEX tasks_client ON tasks(client_id, status);
    CREATE INDEX tasks_open_due ON tasks(status, due_at) WHERE status = 'open';

    CREATE TABLE notifications (
      id INTEGER PRIMARY KEY,
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      kind TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      client_id INTEGER REFERENCES clients(id),
      task_id INTEGER REFERENCES tasks(id),
      created_at TEXT NOT NULL,
      read_at TEXT
    ) STRICT;
    CREATE INDEX notifications_staff ON notifications(staff_id, read_at, id);

    CREATE TABLE pool_claims (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      claimed_at TEXT NOT NULL,
      day TEXT NOT NULL
    ) STRICT;
    CREATE INDEX pool_claims_staff_day ON pool_claims(staff_id, day);

    CREATE TABLE duty_roster (
      day TEXT NOT NULL,
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      region TEXT,
      client_kind TEXT,
      PRIMARY KEY (day, staff_id)
    ) STRICT;

    CREATE TABLE assignments (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      reason TEXT NOT NULL,
      assigned_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX assignments_staff ON assignments(staff_id, assigned_at);

    CREATE TABLE question_sets (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      questions TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      created_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO question_sets (name, questions, created_at) VALUES ('首次需求问卷', '${JSON.stringify([
      { key: 'household', text: '家庭几口人居住？', field: 'householdSize', type: 'number' },
      { key: 'horizon', text: '计划什么时候购房？', field: 'purchaseHorizon', type: 'choice', options: ['near', 'mid', 'far'] },
      { key: 'demand', text: '首套、改善还是投资？', field: 'demandType', type: 'choice', options: ['rigid', 'improve', 'invest'] },
      { key: 'region', text: '意向区域？', field: 'region', type: 'text' },
      { key: 'budget', text: '预算大致多少？', field: 'wealthTier', type: 'choice', options: ['high', 'middle', 'budget'] },
      { key: 'other_agency', text: '是否也委托了其他中介？', field: 'entrustedOther', type: 'boolean' },
    ])}', '2026-01-01T00:00:00.000Z');
  `,
}
