import type { ShellTexts } from './texts.zh'

export const shellEn: ShellTexts = {
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
