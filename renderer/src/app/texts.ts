/** Texts of the app shell (connection banner, first start), Chinese first; `shellEn` must have the same keys. */
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

export const shellEn: typeof shellZh = {
  connection: {
    lost: 'Connection to the host lost; reconnecting… attempt {{attempt}}',
    lostHint: 'Work resumes by itself once connected; no need to sign in again. Changes made meanwhile are not saved.',
    lostHintSignedOut: 'You can sign in once connected.',
    retryNow: 'Retry now',
    back: 'Reconnected to the host',
  },
  firstRun: {
    title: 'First start: the administrator account is ready',
    intro: 'Sign in with the account below. This password is shown only this once: write it down now.',
    username: 'Username',
    password: 'First password',
    copy: 'Copy password',
    copied: 'Copied',
    after: 'After signing in, change it to your own under "Change password" in the menu at the top right, then create accounts for your colleagues.',
    done: 'I have written it down; sign in',
  },
}
