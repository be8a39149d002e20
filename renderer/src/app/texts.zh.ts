/** Texts of the app shell (connection banner, first start), Chinese first; the English file (texts.en.ts) is typed against it. */
export const shellZh = {
  connection: {
    lost: '与主机的连接已断开，正在重新连接… 第 {{attempt}} 次',
    lostHint: '连上后自动恢复，无需重新登录；断开期间的操作不会保存。',
    lostHintSignedOut: '连上后即可登录。',
    retryNow: '立即重试',
    back: '已重新连接主机',
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
  },
}

/** The shape every language's texts of the app shell must have (the Chinese ones are the source). */
export type ShellTexts = typeof shellZh
