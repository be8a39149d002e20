import type { Migration } from '../migration'

/**
 * Marketing campaigns (issue #19 item 3, seed 001): a campaign runs on one of the client source
 * channels between two days at a cost; a new client may name the campaign that brought them
 * (client_campaigns, beside the client row so the client's own columns and history stay as they
 * are), and a front-desk visit or a follow-up the campaign it came from. Every figure counts
 * through an index on the campaign.
 */
export const m025Campaigns: Migration = {
  version: 25,
  name: 'campaigns',
  up: `
    CREATE TABLE campaigns (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      channel TEXT NOT NULL,
      start_date TEXT NOT NULL,
      end_date TEXT NOT NULL,
      cost_yuan INTEGER NOT NULL CHECK (cost_yuan >= 0),
      ended_at TEXT,
      created_by INTEGER NOT NULL REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 0,
      CHECK (start_date <= end_date)
    ) STRICT;
    CREATE INDEX campaigns_open ON campaigns(ended_at, end_date);
    CREATE TABLE client_campaigns (
      client_id INTEGER PRIMARY KEY REFERENCES clients(id),
      campaign_id INTEGER NOT NULL REFERENCES campaigns(id)
    ) STRICT;
    CREATE INDEX client_campaigns_campaign ON client_campaigns(campaign_id, client_id);
    ALTER TABLE visits ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
    CREATE INDEX visits_campaign ON visits(campaign_id) WHERE campaign_id IS NOT NULL;
    ALTER TABLE follow_ups ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
    CREATE INDEX follow_ups_campaign ON follow_ups(campaign_id) WHERE campaign_id IS NOT NULL;
  `,
}
