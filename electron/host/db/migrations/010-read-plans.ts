import type { Migration } from '../migration'

/**
 * Reads run on their own connections, whose decrypted page cache SQLite drops whenever another
 * connection commits: a read that walks thousands of rows decrypts them again after every write.
 * The today list's "clients I claimed from the pool lately" walked all of an agent's clients
 * (about 5,000 on a 100,000-client book: 270 ms on a cold cache); this index finds them directly.
 */
export const m010ReadPlans: Migration = {
  version: 10,
  name: 'read-plans',
  up: `
    CREATE INDEX clients_owner_claimed ON clients(owner_id, claimed_at) WHERE claimed_at IS NOT NULL;
  `,
}
