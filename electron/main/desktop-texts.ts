import type { PickFailure, RecoveryFailure } from './desktop-key'
import type { KeyFilePick, KeyProblem } from './key-plan'
import { escapeHtml, pageFrame } from './page-frame'

// Electron main has no i18n: each dialog says everything in Chinese first, then in English.

/** A message box: what happened, what it means, and the buttons (the first one quits or cancels). */
export interface DialogText {
  title: string
  message: string
  detail: string
  buttons: string[]
}

const TITLE = '客源 Keyuan'

const KEY_FILE_WARNING =
  '密钥文件是明文：谁拿到它和数据库的副本，就能读出全部客户资料。请把它放在只有您能打开的位置（例如一个随身 U 盘），' +
  '不要和数据库放在同一个文件夹，并另外备份一份——丢了它，数据库就再也打不开。\n' +
  'The key file is plain text: whoever has it and a copy of the database can read every client record. Keep it where ' +
  'only you can open it (a USB drive you keep, for example), never in the database folder, and back it up: without it ' +
  'the database can never be opened again.'

const PROBLEM: Record<KeyProblem, { message: string; detail: string }> = {
  basic_text: {
    message: '这台电脑没有可用的系统密钥库，数据库密钥无法安全保存。\nThis PC has no usable OS key store: the database key cannot be kept safely.',
    detail:
      '系统报告的密钥库是 basic_text：存进去的密钥实际上等于明文保存。\n' +
      'The OS reports the "basic_text" store: a key kept there is in effect stored in clear.',
  },
  unavailable: {
    message: '系统密钥库不可用，无法读取或保护数据库密钥。\nThe OS key store is not available: the database key cannot be read or protected.',
    detail:
      '常见原因：没有登录桌面会话，或系统密钥环（GNOME 密钥环、KWallet）未开启或未解锁。\n' +
      'Usual causes: no desktop session is signed in, or the keyring (GNOME Keyring, KWallet) is not running or is locked.',
  },
  wrapped_missing: {
    message: '找不到数据库密钥（db-key.wrapped），数据库无法打开。\nThe database key (db-key.wrapped) is missing: the database cannot be opened.',
    detail:
      '请退出，从这台电脑客源文件夹的备份中恢复 db-key.wrapped（需同一台电脑、同一个系统账户），再启动客源。' +
      '客源不会为已有的数据库生成新密钥。\n' +
      "Quit, restore db-key.wrapped from a backup of this PC's Keyuan folder (same PC, same user account), then start " +
      'Keyuan again. Keyuan never makes a new key for an existing database.',
  },
  wrapped_unreadable: {
    message:
      '这台电脑的系统密钥库打不开数据库密钥（db-key.wrapped），数据库无法打开。\n' +
      "This PC's OS key store cannot unwrap the database key (db-key.wrapped): the database cannot be opened.",
    detail:
      '常见原因：换了 Windows 用户账户或重装了系统，或系统密钥环被重置。客源不会为已有的数据库生成新密钥。\n' +
      'Usual causes: another Windows user account or a reinstalled system, or a reset keyring. Keyuan never makes a new key for an existing database.',
  },
  key_file_missing: {
    message: '找不到之前选定的密钥文件，数据库无法打开。\nThe key file chosen earlier is not there: the database cannot be opened.',
    detail:
      '如果它在 U 盘上，请插上 U 盘后选择它所在的文件夹。\nIf it is on a USB drive, plug the drive in and choose its folder.',
  },
}

const CHOOSE: Record<KeyFilePick, { detail: string; button: string }> = {
  new: {
    detail:
      '您可以退出，先让系统密钥库可用后再启动；或者把密钥存为一个密钥文件，放在您选的文件夹里。\n' +
      'You can quit and make the OS key store available first, or keep the key in a key file in a folder you choose.',
    button: '使用密钥文件… Use a key file…',
  },
  existing: {
    detail:
      '如果您曾把密钥存为密钥文件（keyuan.key），可以选择它所在的文件夹；否则请退出。\n' +
      'If the key was kept in a key file (keyuan.key), choose the folder it is in; otherwise quit.',
    button: '选择密钥文件所在文件夹… Choose its folder…',
  },
  move: {
    detail:
      '您可以退出，先让系统密钥库可用后再启动；或者把密钥移到您选的文件夹里的一个密钥文件（keyuan.key），' +
      '移好后删除这里的明文副本。\n' +
      'You can quit and make the OS key store available first, or move the key into a key file (keyuan.key) in a ' +
      'folder you choose; the copy kept here in clear is then deleted.',
    button: '移到密钥文件… Move it to a key file…',
  },
}

const RECOVERY_OFFER =
  '您也可以输入首次启动时抄下的恢复密钥（恢复密钥单上的 8 组字符）来打开数据库。\n' +
  'You can also type the recovery key written down on the first start (the 8 groups on the recovery key sheet) to open the database.'

/** The dialog that explains a key problem and offers: quit, a key file, and (when the database has its record) the recovery key. */
export function keyProblemDialog(problem: KeyProblem, pick: KeyFilePick, recoveryOffered = false): DialogText {
  const p = PROBLEM[problem]
  const c = CHOOSE[pick]
  const warn = pick === 'existing' ? '' : `\n\n${KEY_FILE_WARNING}`
  const offer = recoveryOffered ? `\n\n${RECOVERY_OFFER}` : ''
  const buttons = ['退出 Quit', c.button, ...(recoveryOffered ? ['使用恢复密钥… Use the recovery key…'] : [])]
  return { title: TITLE, message: p.message, detail: `${p.detail}\n\n${c.detail}${offer}${warn}`, buttons }
}

const RECOVERY_FAILED: Record<RecoveryFailure['reason'], string> = {
  recovery_key_length: '恢复密钥应为 8 组、每组 6 个字符。\nA recovery key has 8 groups of 6 characters.',
  recovery_key_group: '第 {group} 组有输入错误（校验字符不符）。\nGroup {group} is mistyped (its check character does not match).',
  recovery_key_wrong: '这个恢复密钥不属于这个数据库。\nThis recovery key does not belong to this database.',
  recovery_record_missing: '数据库旁没有恢复记录（keyuan.db.recovery.json）。\nThere is no recovery record (keyuan.db.recovery.json) beside the database.',
  recovery_record_bad: '数据库旁的恢复记录已损坏。\nThe recovery record beside the database is damaged.',
  recovery_target_taken: '数据文件夹里已有数据库。\nThe data folder already holds a database.',
}

/** The recovery-key prompt: a page without scripts whose form navigates to keyuan-recovery:answer?key=… (cancel: keyuan-recovery:cancel). */
export function recoveryKeyPromptHtml(failure: RecoveryFailure | null): string {
  const said = failure ? RECOVERY_FAILED[failure.reason].replaceAll('{group}', String(failure.group ?? '')) : ''
  const error = said ? `<p role="alert" class="alert">${escapeHtml(said).replace('\n', '<br>')}</p>` : ''
  return pageFrame(
    { zh: '恢复密钥', en: 'Recovery key' },
    `<p>请输入恢复密钥（8 组字符，大小写和横线不限）。<br><span class="en">Type the recovery key (8 groups; case and dashes do not matter).</span></p>
${error}<form action="keyuan-recovery:answer" method="get">
<input name="key" autofocus autocomplete="off" spellcheck="false" aria-label="恢复密钥 Recovery key" style="font:18px monospace">
<p><a class="link" href="keyuan-recovery:cancel">返回 Back</a> <button type="submit">打开数据库 Open the database</button></p>
</form>`,
  )
}

/** The title of the folder picker. */
export function pickFolderTitle(pick: KeyFilePick): string {
  return pick === 'existing' ? '选择密钥文件所在的文件夹 Choose the folder of the key file' : '选择存放密钥文件的文件夹 Choose a folder for the key file'
}

const FAILED: Record<PickFailure, string> = {
  beside_database:
    '不能把密钥文件放在数据库所在的文件夹：复制走这个文件夹的人会同时拿到数据库和钥匙。请另选一个文件夹。\n' +
    'The key file cannot go in the database folder: whoever copies that folder would get the database and its key. Choose another folder.',
  no_key_file: '这个文件夹里没有密钥文件 keyuan.key。\nThere is no key file keyuan.key in this folder.',
  bad_key_file: '这个文件夹里的 keyuan.key 不是有效的密钥文件。\nThe keyuan.key in this folder is not a valid key file.',
  key_differs:
    '这个文件夹里已有另一个密钥文件 keyuan.key，不会覆盖它。请另选一个文件夹。\n' +
    'This folder already holds a different key file keyuan.key; it is not overwritten. Choose another folder.',
  write_failed: '无法在这个文件夹里写入密钥文件（只读或没有权限）。\nThe key file cannot be written in this folder (read-only or no permission).',
}

/** Says why a picked folder will not do. */
export function pickFailedDialog(why: PickFailure, folder: string): DialogText {
  return { title: TITLE, message: FAILED[why], detail: folder, buttons: ['重新选择 Choose again'] }
}

/** The host process keeps stopping: say so, where its log is, and offer to try again or quit. */
export function hostGaveUpDialog(crashes: number, logFile: string): DialogText {
  return {
    title: TITLE,
    message: `主机服务连续 ${crashes} 次意外停止，已停止自动重启。\nThe host service stopped unexpectedly ${crashes} times in a row; it is no longer restarted on its own.`,
    detail:
      `原因记录在日志里，请把它交给维护人员：\nThe cause is in its log; please give it to whoever maintains this PC:\n${logFile}\n\n` +
      '其他电脑暂时无法使用客源，直到主机服务恢复。\nOther PCs cannot use Keyuan until the host service runs again.',
    buttons: ['退出 Quit', '重试 Try again'],
  }
}

/** Keyuan cannot start at all (a key that will not read, a folder it cannot write). */
export function startFailedDialog(reason: string, logFile: string): { title: string; content: string } {
  return {
    title: `${TITLE} 无法启动 / cannot start`,
    content: `客源无法启动。Keyuan could not start.\n\n${reason}\n\n日志 Log: ${logFile}`,
  }
}
