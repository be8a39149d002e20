import type { Migration } from '../migration'

/**
 * Long jobs worked in slices (electron/host/jobs): a rules pass over the book, a departure. Each
 * slice is its own short transaction that also moves the job's cursor, so a host stopped mid-job
 * picks up where the last committed slice ended. `params` is what was asked (JSON), `cursor` where
 * the next slice starts and what the slices gathered (JSON), `result` what the finished job did.
 */
export const m012Jobs: Migration = {
  version: 12,
  name: 'jobs',
  up: `
    CREATE TABLE jobs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      params TEXT NOT NULL,
      cursor TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
      done INTEGER NOT NULL DEFAULT 0,
      total INTEGER,
      result TEXT,
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;
    CREATE INDEX jobs_running ON jobs(id) WHERE status = 'running';
  `,
}
