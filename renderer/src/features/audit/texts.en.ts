import type { AuditTexts } from './texts.zh'

export const auditEn: AuditTexts = {
  tab: 'Audit log',
  intro: 'The audit log only grows: rows are chained with a key, and after each write the head is copied to an anchor file in the data folder. Verifying walks the whole chain and checks the anchor.',
  verify: 'Verify again',
  verdict: 'Result',
  ok: 'Intact: the chain links and the anchor agrees',
  broken: 'Problem found: investigate now',
  chain: 'Chain',
  chainOk: 'intact ({{checked}} rows checked)',
  chainBroken: 'broken at row {{id}} ({{checked}} rows before it are intact)',
  anchor: 'Anchor file',
  anchorStatus: {
    agrees: 'agrees with the database',
    ahead: 'ahead: the database lacks row {{id}} and later (rows dropped, or a power cut lost the last writes)',
    disagrees: 'disagrees: row {{id}} was rewritten (the chain was re-hashed)',
    missing: 'missing',
    none: 'nothing logged yet',
  },
  anchorFrom: 'The anchor starts at row {{id}}; earlier rows rest on the chain alone',
  head: 'Newest row',
  headValue: 'row {{id}} · {{at}} · {{hash}}…',
  keyedFrom: 'Keyed chain from',
  keyedFromValue: 'row {{id}} (older rows are linked with SHA-256)',
  verifiedAt: 'Verified at',
}
