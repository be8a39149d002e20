/** Texts of the backups (设置 › 备份与恢复), Chinese first; the English file (texts.en.ts) is typed against it. */
export const backupZh = {
  tab: '备份与恢复',
  intro: '备份是数据库的加密副本（与数据库用同一把密钥），在后台复制，系统照常使用。每份备份旁有校验值和清单。按日、周、月轮换保留：最近 7 天各一份、最近 4 周各一份、最近 12 个月各一份。',
  backupNow: '立即备份',
  running: '正在备份：{{phase}}（{{percent}}%）',
  phase: {
    copying: '复制数据库',
    checking: '核对副本',
    'copying-second': '复制到第二个文件夹',
    rotating: '轮换旧备份',
  },
  lastFailure: '上次备份失败（{{at}}）：{{reason}}',
  failure: {
    disk_full: '磁盘已满',
    not_writable: '备份文件夹无法写入',
    failed: '备份出错，系统日志中有详情',
  },
  settings: '自动备份',
  everyHours: '间隔（小时，0 为不自动备份）',
  secondFolder: '第二个文件夹（U 盘、其他电脑的共享文件夹；留空则不复制）',
  save: '保存设置',
  saved: '已保存',
  list: '已保留的备份',
  none: '还没有备份',
  at: '时间',
  kind: '方式',
  kinds: { manual: '手动', scheduled: '自动' },
  size: '大小',
  clients: '客户数',
  checksum: '校验值',
  copied: '第二文件夹',
  copiedYes: '已复制',
  copiedNo: '—',
  restore: '恢复',
  restoreTitle: '用这份备份恢复？',
  restoreBody: '先校验备份（校验值、密钥、完整性、结构版本、审计日志），通过后才替换。当前数据库会另存在数据文件夹中，不会删除。恢复期间其他终端的操作会稍等片刻。',
  restoreOk: '恢复',
  cancel: '取消',
  restored: '已恢复 {{at}} 的备份：客户 {{clients}} 位，员工 {{staff}} 位，审计日志 {{audit}} 条（已校验）。原数据库另存为 {{keptAs}}。',
}

/** The shape every language's texts of the backups must have (the Chinese ones are the source). */
export type BackupTexts = typeof backupZh
