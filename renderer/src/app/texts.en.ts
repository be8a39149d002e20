import type { ShellTexts } from './texts.zh'

export const shellEn: ShellTexts = {
  connection: {
    lost: 'Connection to the host lost; reconnecting… attempt {{attempt}}',
    lostHint: 'Work resumes by itself once connected; no need to sign in again. Changes made meanwhile are not saved.',
    lostHintSignedOut: 'You can sign in once connected.',
    /** the host is gone for good and the admin promoted the standby: it answers at these addresses */
    standby: 'If the host is out of service and the admin has promoted the standby, go on there:',
    retryNow: 'Retry now',
    back: 'Reconnected to the host',
    formKept: 'Connection lost. Your entries are kept; save again once reconnected.',
    formUnanswered: 'The host did not answer in time. Your entries are kept; you can save again (it will not be saved twice).',
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
    recoveryTitle: 'Recovery key',
    recoveryIntro:
      "This is the branch database's recovery key. It is shown only this once and stored nowhere: print the recovery key sheet (or copy it by hand) and lock it away from this PC.",
    print: 'Print the recovery key sheet',
    sheetTitle: 'Keyuan recovery key sheet',
    sheetBranch: 'Branch',
    sheetDate: 'Made on',
    sheetKey: 'Recovery key',
    sheetWhat:
      'What it is for: when this host PC dies, is reinstalled or its user account is lost, this key and a backup open the branch on a new PC (npm run host -- --recover <backup file>, or "Use the recovery key" when Keyuan asks).',
    sheetKeep: 'Lock it away: whoever has this key and a backup can read every client record. After a rekey, older backups still need the older recovery key.',
  },
}
