import type { Migration } from '../migration'

/**
 * The team calendar (issue #20 item 5, seed 003 日程/团队活动): meetings, duty and other team
 * events with their participants. A participant's row repeats the event's start, so one person's
 * events in a range are one index range (calendar_participants_staff), like their viewings
 * (viewings_agent) and tasks (tasks_staff_open); the branch's in a range are one range of
 * team_events_time. An event lasts at most two days (the range queries look that far back).
 */
export const m033Calendar: Migration = {
  version: 33,
  name: 'calendar',
  up: `
    CREATE TABLE team_events (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('meeting', 'duty', 'training', 'other')),
      title TEXT NOT NULL,
      place TEXT,
      starts_at TEXT NOT NULL,
      ends_at TEXT NOT NULL,
      created_by INTEGER NOT NULL REFERENCES staff(id),
      created_at TEXT NOT NULL,
      cancelled_at TEXT,
      version INTEGER NOT NULL DEFAULT 0,
      CHECK (ends_at > starts_at)
    ) STRICT;
    CREATE INDEX team_events_time ON team_events(starts_at) WHERE cancelled_at IS NULL;
    CREATE TABLE team_event_participants (
      event_id INTEGER NOT NULL REFERENCES team_events(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      starts_at TEXT NOT NULL,
      PRIMARY KEY (event_id, staff_id)
    ) STRICT;
    CREATE INDEX calendar_participants_staff ON team_event_participants(staff_id, starts_at);
  `,
}
