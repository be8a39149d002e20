import type { SqliteHandle } from '../db/open'
import { completeness } from '@shared/domain/completeness'
import { normalizeClientPhone } from '@shared/domain/client-phone'
import { buildSearchTerms, TERM_TABLES, termTableOf, type TermTable } from '../domains/clients/search-terms'
import { AGENCY_NAMES, DISTRICTS, EMPLOYERS, GIVEN_CHARS, INDUSTRIES, MOBILE_PREFIXES, NATIVE_PLACES, ORG_WORDS, SURNAMES, TITLES } from './demo-vocabulary'
import { Random } from './random'

export interface GenerateOptions {
  clients: number
  /** staff ids that may own clients; about 15% of clients stay unowned (public pool). */
  ownerIds: readonly number[]
  now: Date
  seed?: number
  /** follow-ups to write in all, spread over the clients (the benchmark uses 1,000,000). */
  followUps?: number
  /** progress callback every 10,000 clients. */
  onProgress?: (done: number) => void
}

const DAY = 86_400_000
const FOLLOW_UP_CHANNELS = ['phone', 'wechat', 'visit', 'sms'] as const
const FOLLOW_UP_NOTES = ['电话沟通需求，预算有调整', '微信发送三套房源', '到店面谈，关注学区', '短信提醒看房时间', '客户反馈价格偏高', '约周末带看']
const REGIONS = Object.keys(DISTRICTS)

/** From this many clients at once, the indexes of the tables written are built after the rows, not kept up row by row. */
const BULK_CLIENTS = 5000
/** The tables a generated client writes (requirements, follow-ups, and the rows the clients' triggers add). */
const WRITTEN_TABLES = ['clients', 'client_phones', 'client_versions', ...TERM_TABLES, 'requirements', 'follow_ups', 'client_stage_spells', 'client_pool_entries']

/**
 * Runs `write` with the secondary indexes of the written tables dropped, then creates them again
 * from their own SQL (so the schema is as before), in the caller's transaction. Sorting the rows
 * once per index costs far less than keeping 30 indexes of the clients table up row by row: a
 * 100,000-client demo book wrote in about half the time (a failed write rolls the drop back too).
 */
function withIndexesBuiltAfter(sqlite: SqliteHandle, write: () => void): void {
  // sql is null for the indexes of a table's own PRIMARY KEY and UNIQUE constraints: those stay
  const indexes = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${WRITTEN_TABLES.map(() => '?').join(', ')})`)
    .all(...WRITTEN_TABLES) as Array<{ name: string; sql: string }>
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`)
  write()
  for (const i of indexes) sqlite.exec(i.sql)
}

/** A unique, valid CN mobile for the i-th client: the prefix and an injective spread of i. */
export function demoMobile(i: number): string {
  const prefix = MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]!
  const rest = (Math.floor(i / MOBILE_PREFIXES.length) * 7919 + 10_000_019) % 100_000_000
  return `${prefix}${String(rest).padStart(8, '0')}`
}

function personName(r: Random): string {
  const surname = r.weighted(SURNAMES)
  const len = r.weighted([[1, 45], [2, 55]] as const)
  let given = ''
  for (let k = 0; k < len; k++) given += GIVEN_CHARS[r.int(0, GIVEN_CHARS.length - 1)]
  return surname + given
}

/**
 * Writes realistic clients straight into the database (demo start, benchmarks), with the same
 * derived data the API writes: phones, search terms, completeness, a requirement or two.
 * Runs in one transaction; returns how many clients were written.
 */
export function generateClients(sqlite: SqliteHandle, opts: GenerateOptions): number {
  const r = new Random(opts.seed ?? 20261125)
  const start = (sqlite.prepare(`SELECT value FROM counters WHERE name = 'client_code'`).pluck().get() as number | undefined) ?? 0
  const insertClient = sqlite.prepare(`INSERT INTO clients (
      code, kind, name, org_name_key, gender, age, native_place, address, household_size, children, industry, employer, job_title,
      education, source_channel, org_legal_rep, org_contact_name, org_office_address, owner_id, tier, stage, demand_type, wealth_tier,
      purchase_horizon, region, community, entrusted_other, entrusted_agencies, blacklisted, blacklist_reason, completeness,
      primary_phone, created_by, created_at, updated_at, last_follow_up_at, protected_until, last_activity_at, stage_changed_at)
    VALUES (@code, @kind, @name, @orgKey, @gender, @age, @nativePlace, @address, @household, @children, @industry, @employer, @title,
      @education, @source, @legalRep, @contact, @office, @owner, @tier, @stage, @demand, @wealth,
      @horizon, @region, @community, @entrusted, @agencies, @blacklisted, @blacklistReason, @completeness,
      @phone, @owner, @createdAt, @createdAt, @lastFollowUp, @protectedUntil, coalesce(@lastFollowUp, @createdAt), @createdAt)`)
  const insertPhone = sqlite.prepare(`INSERT INTO client_phones (client_id, e164, digits, display, kind, label, position) VALUES (?, ?, ?, ?, ?, NULL, 0)`)
  // each term into its table (termTableOf: the whole fields' or the inner parts')
  const termInsert = (table: TermTable) => sqlite.prepare(`INSERT OR IGNORE INTO ${table} (term, client_id, field, pos) VALUES (?, ?, ?, ?)`)
  const insertTerm = { search_terms: termInsert('search_terms'), search_inner: termInsert('search_inner') }
  const insertNeed = sqlite.prepare(`INSERT INTO requirements (client_id, kind, active, data, created_by, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)`)
  const insertFollowUp = sqlite.prepare(
    `INSERT INTO follow_ups (client_id, staff_id, channel, content, intention, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const insertVersion = sqlite.prepare(`INSERT INTO client_versions (client_id, version, data, changed_by, changed_at) VALUES (?, 0, '{}', ?, ?)`)

  const writeAll = () => {
    for (let n = 0; n < opts.clients; n++) {
      const i = start + n
      const isOrg = r.chance(0.04)
      const region = r.pick(REGIONS)
      const community = r.pick(DISTRICTS[region]!)
      const name = isOrg ? `上海${r.pick(REGIONS)}${r.pick(ORG_WORDS)}${i}有限公司` : personName(r)
      const owner = r.chance(0.85) && opts.ownerIds.length > 0 ? r.pick(opts.ownerIds) : null
      const createdAt = new Date(opts.now.getTime() - r.int(0, 720) * DAY - r.int(0, DAY - 1))
      const lastFollowUp = r.chance(0.9) ? new Date(Math.min(opts.now.getTime(), createdAt.getTime() + r.int(0, 90) * DAY)) : null
      const tier = r.weighted([['vip', 5], ['key', 15], ['normal', 50], ['potential', 30]] as const)
      const source = r.weighted([['walk_in', 25], ['phone', 25], ['referral', 15], ['anjuke', 12], ['douyin', 10], ['website', 5], ['wechat', 5], ['community', 2], ['other', 1]] as const)
      const phone = normalizeClientPhone(demoMobile(i))
      if (!phone.ok) throw new Error(`demo phone ${demoMobile(i)} is not valid`)
      const deep = r.chance(0.6)
      const values = {
        code: `KY${String(i + 1).padStart(6, '0')}`,
        kind: isOrg ? 'org' : 'person',
        name,
        orgKey: isOrg ? name.replace(/有限公司$/, '') : null,
        gender: isOrg ? null : r.pick(['male', 'female']),
        age: isOrg || !deep ? null : r.int(23, 68),
        nativePlace: deep ? r.pick(NATIVE_PLACES) : null,
        address: deep ? `上海市${region}区${community}${r.int(1, 120)}号${r.int(101, 2802)}室` : null,
        household: deep ? r.int(1, 6) : null,
        children: deep && r.chance(0.5) ? JSON.stringify([{ age: r.int(1, 17), schooling: r.pick(['kindergarten', 'primary', 'middle', 'high']) }]) : '[]',
        industry: deep ? r.pick(INDUSTRIES) : null,
        employer: deep ? r.pick(EMPLOYERS) : null,
        title: deep ? r.pick(TITLES) : null,
        education: deep ? r.pick(['senior_high', 'college', 'bachelor', 'master']) : null,
        source,
        legalRep: isOrg ? personName(r) : null,
        contact: isOrg ? personName(r) : null,
        office: isOrg ? `上海市${region}区商务楼${r.int(1, 40)}层` : null,
        owner,
        tier,
        stage: r.weighted([['potential', 35], ['intent', 35], ['negotiating', 12], ['closed', 13], ['repeat', 5]] as const),
        demand: r.chance(0.8) ? r.pick(['rigid', 'improve', 'invest']) : null,
        wealth: deep ? r.pick(['high', 'middle', 'budget']) : null,
        horizon: r.chance(0.8) ? r.pick(['near', 'mid', 'far']) : null,
        region,
        community,
        entrusted: 0,
        agencies: null as string | null,
        blacklisted: 0,
        blacklistReason: null as string | null,
        completeness: 0,
        phone: phone.phone.display,
        createdAt: createdAt.toISOString(),
        lastFollowUp: lastFollowUp?.toISOString() ?? null,
        protectedUntil: owner === null ? null : new Date(createdAt.getTime() + (source === 'walk_in' ? 7 : 15) * DAY).toISOString(),
      }
      if (r.chance(0.08)) {
        values.entrusted = 1
        values.agencies = r.pick(AGENCY_NAMES)
      }
      if (r.chance(0.004)) {
        values.blacklisted = 1
        values.blacklistReason = r.pick(['拖欠佣金', '跳单', '恶意投诉'])
      }
      const needs = r.chance(0.85) ? r.int(1, 2) : 0
      values.completeness = completeness({
        kind: values.kind as 'person' | 'org',
        tier,
        values: {
          name,
          phones: 1,
          sourceChannel: source,
          region,
          community,
          demandType: values.demand,
          purchaseHorizon: values.horizon,
          needs: needs || null,
          gender: values.gender,
          age: values.age,
          'org.legalRep': values.legalRep,
          'org.contactName': values.contact,
          'org.officeAddress': values.office,
          address: values.address,
          employer: values.employer,
          industry: values.industry,
          wealthTier: values.wealth,
          householdSize: values.household,
        },
      }).score
      const id = Number(insertClient.run(values).lastInsertRowid)
      insertPhone.run(id, phone.phone.e164, phone.phone.digits, phone.phone.display, phone.phone.kind)
      insertVersion.run(id, owner, values.createdAt)
      for (const t of buildSearchTerms({ name, code: values.code, phoneDigits: [phone.phone.digits] })) insertTerm[termTableOf(t.pos)].run(t.term, id, t.field, t.pos)
      for (let k = 0; k < needs; k++) {
        const areaMin = r.int(40, 140) * 100
        const data = {
          kind: 'residential',
          regions: [region],
          propertyType: 'apartment',
          layout: `${r.int(1, 4)}室${r.int(1, 2)}厅`,
          areaMin,
          areaMax: areaMin + r.int(10, 40) * 100,
          bedroomsMin: r.int(1, 4),
          totalPriceMax: r.int(200, 2000) * 1_000_000,
          amenities: { school: r.chance(0.4), metro: r.chance(0.6) },
        }
        insertNeed.run(id, 'residential', JSON.stringify(data), owner, values.createdAt, values.createdAt)
      }
      // follow-ups up to the last contact; the last one is the client's last_follow_up_at
      const perClient = opts.followUps ? Math.max(0, Math.round((opts.followUps / opts.clients) * (0.5 + r.next()))) : 0
      if (lastFollowUp && perClient > 0) {
        const span = Math.max(1, lastFollowUp.getTime() - createdAt.getTime())
        for (let k = perClient - 1; k >= 0; k--) {
          const at = k === 0 ? lastFollowUp : new Date(lastFollowUp.getTime() - Math.floor((span * k) / perClient))
          insertFollowUp.run(id, owner ?? opts.ownerIds[0] ?? 1, r.pick(FOLLOW_UP_CHANNELS), r.pick(FOLLOW_UP_NOTES), r.pick(['cold', 'warm', 'hot']), at.toISOString())
        }
      }
      if ((n + 1) % 10_000 === 0) opts.onProgress?.(n + 1)
    }
  }
  sqlite.transaction(() => {
    if (opts.clients >= BULK_CLIENTS) withIndexesBuiltAfter(sqlite, writeAll)
    else writeAll()
    sqlite
      .prepare(`INSERT INTO counters (name, value) VALUES ('client_code', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value`)
      .run(start + opts.clients)
  })()
  return opts.clients
}
