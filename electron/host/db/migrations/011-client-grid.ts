import type { Migration } from '../migration'

/**
 * The columns the client grid filters on, carried in every index the grid reads, so a filter is
 * checked on the index entry and never costs a table row. `id` comes right after the leading
 * column(s): the grid's tie-break, and what makes each entry unique.
 */
const FILTERS = 'tier, stage, region, community, owner_id, source_channel, demand_type, blacklisted, completeness, last_follow_up_at'

/** One covering grid index: its leading (sort or filter) columns, then id, then every filter column. */
const gridIndex = (name: string, lead: string) => {
  const rest = FILTERS.split(', ').filter((c) => !lead.split(', ').includes(c)).join(', ')
  return `CREATE INDEX ${name} ON clients(${lead}, id, ${rest}) WHERE merged_into IS NULL;`
}

/**
 * Grid plans for any filter and sort (issue #15): each sort column's index delivers the page in
 * order and checks the filters on its entries (a filter matching few rows at worst reads the whole
 * index, never a row); each filter column's index counts and pages a narrow filter without a row.
 * The narrow indexes of 002 they replace keep their names. clients_owner and clients_tier stay
 * (the rules engine and the VIP view read them); clients_grid_owner adds owner + id order for
 * the owner sort, clients_grid_code and clients_grid_tier the code and tier sorts. Region sorts by
 * (region, community, id), which is also the region tree's order.
 */
export const m011ClientGrid: Migration = {
  version: 11,
  name: 'client-grid',
  up: `
    DROP INDEX clients_created;
    DROP INDEX clients_last_follow_up;
    DROP INDEX clients_name;
    DROP INDEX clients_completeness;
    DROP INDEX clients_stage;
    DROP INDEX clients_region;
    DROP INDEX clients_source;
    ${gridIndex('clients_created', 'created_at')}
    ${gridIndex('clients_last_follow_up', 'last_follow_up_at')}
    ${gridIndex('clients_name', 'name')}
    ${gridIndex('clients_completeness', 'completeness')}
    ${gridIndex('clients_stage', 'stage')}
    ${gridIndex('clients_region', 'region, community')}
    ${gridIndex('clients_source', 'source_channel')}
    ${gridIndex('clients_grid_code', 'code')}
    ${gridIndex('clients_grid_tier', 'tier')}
    ${gridIndex('clients_grid_owner', 'owner_id')}
  `,
}
