/** Texts of exports (导出), used by every grid's 导出 button, Chinese first; the English file (texts.en.ts) is typed against it. */
export const exportZh = {
  button: '导出',
  title: '导出 Excel',
  intro: '导出当前列表：视图、筛选和排序与屏幕上一致，只含您能查看完整资料的客户（经纪人为本人名下、资深经纪人为本组），号码按您能看到的样子（遮挡的仍遮挡）。',
  watermark: '文件会标注您的姓名和导出时间，每次导出都记入审计日志。',
  cap: '每次最多导出 {{cap}} 行。',
  reason: '导出原因',
  reasonRequired: '本店要求填写导出原因',
  reasonPlaceholder: '例如：月度客户盘点',
  start: '开始导出',
  running: '正在导出：已写入 {{done}} / {{total}} 行',
  done: '已导出 {{n}} 行，文件已开始下载',
  failed: '导出失败，请稍后再试',
  settings: {
    title: '导出设置',
    rowCap: '每次导出行数上限',
    requireReason: '导出时必须填写原因',
    saved: '导出设置已保存',
  },
}

export type ExportTexts = typeof exportZh
