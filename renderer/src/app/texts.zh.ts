/** Texts of the app shell (connection banner, first start), Chinese first; the English file (texts.en.ts) is typed against it. */
export const shellZh = {
  connection: {
    lost: '与主机的连接已断开，正在重新连接… 第 {{attempt}} 次',
    lostHint: '连上后自动恢复，无需重新登录；断开期间的操作不会保存。',
    lostHintSignedOut: '连上后即可登录。',
    /** the host is gone for good and the admin promoted the standby: it answers at these addresses */
    standby: '若主机已停用且管理员已启用备机，请改用备机：',
    retryNow: '立即重试',
    back: '已重新连接主机',
    /** a dialog's save pressed while the host cannot be reached: the dialog stays open as it was */
    formKept: '连接已断开，内容已保留，恢复连接后可再保存',
    /** a dialog's save the host did not answer in time while the connection stayed up: saving again does not save twice */
    formUnanswered: '主机未及时应答，内容已保留，可再次保存（不会重复保存）',
  },
  firstRun: {
    title: '首次启动：管理员账号已创建',
    intro: '请用下面的账号登录。这个密码只显示这一次，请现在记下来。',
    username: '账号',
    password: '初始密码',
    copy: '复制密码',
    copied: '已复制',
    after: '登录后，请在右上角菜单「修改密码」中改成您自己的密码，再为同事创建账号。',
    done: '我已记下，去登录',
    recoveryTitle: '恢复密钥',
    recoveryIntro: '这是本分店数据库的恢复密钥，只显示这一次，不会保存在任何地方。请打印恢复密钥单（或抄下来），锁在电脑以外的安全地方。',
    print: '打印恢复密钥单',
    sheetTitle: '客源 恢复密钥单',
    sheetBranch: '分店',
    sheetDate: '生成日期',
    sheetKey: '恢复密钥',
    sheetWhat:
      '用途：这台主机电脑损坏、重装或系统账户丢失时，凭此密钥和一份备份即可在新电脑上打开本分店的数据（npm run host -- --recover <备份文件>，或在客源提示时选择「使用恢复密钥」）。',
    sheetKeep: '请锁好保管：拿到此密钥和备份的人可以读出全部客户资料。更换数据库密钥后，旧备份仍需旧的恢复密钥。',
  },
}

/** The shape every language's texts of the app shell must have (the Chinese ones are the source). */
export type ShellTexts = typeof shellZh
