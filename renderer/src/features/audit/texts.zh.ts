/** Texts of the audit log's check (设置 › 审计日志), Chinese first; the English file (texts.en.ts) is typed against it. */
export const auditZh = {
  tab: '审计日志',
  intro: '审计日志只增不改：每条记录用密钥串成链，链头每次写入后另存到数据文件夹中的锚点文件。校验会重走整条链，并核对锚点。',
  verify: '重新校验',
  verdict: '结论',
  ok: '完整：链条完好，锚点一致',
  broken: '发现问题，请立即联系管理员调查',
  chain: '记录链',
  chainOk: '完好（已校验 {{checked}} 条）',
  chainBroken: '在第 {{id}} 条记录处断开（之前 {{checked}} 条完好）',
  anchor: '锚点文件',
  anchorStatus: {
    agrees: '与数据库一致',
    ahead: '锚点超前：数据库缺少第 {{id}} 条及之后的记录（记录被删除，或停电丢失了最后的写入）',
    disagrees: '不一致：第 {{id}} 条记录已被改写（链条被重新计算过）',
    missing: '锚点文件缺失',
    none: '尚无记录',
  },
  anchorFrom: '锚点自第 {{id}} 条记录起；更早的记录只由链条本身保证',
  head: '最新记录',
  headValue: '第 {{id}} 条 · {{at}} · {{hash}}…',
  keyedFrom: '密钥链起点',
  keyedFromValue: '第 {{id}} 条（之前的旧记录用 SHA-256 串联）',
  verifiedAt: '校验时间',
}

/** The shape every language's texts of the audit log check must have (the Chinese ones are the source). */
export type AuditTexts = typeof auditZh
