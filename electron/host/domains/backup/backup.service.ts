import fs from 'node:fs'
import path from 'node:path'
import { BackupSettings } from '@shared/contract/backup'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerDeps, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { DUMMY_HASH, verifyPassword } from '../auth/password'
import { findStaffById } from '../staff/staff.repository'
import type { BackupService } from './backup-service'
import { readBackupSettings, writeBackupSettings } from './backup-settings.repository'

async function isFolder(folder: string): Promise<boolean> {
  if (!path.isAbsolute(folder)) return false
  return fs.promises.stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  )
}

function serviceOf(deps: HandlerDeps): BackupService {
  if (!deps.backups) throw new ApiFailure('INTERNAL', 'backups are not available on this host')
  return deps.backups
}

/** Backups and restore: the admin's alone (permissions.ts); each is audited. */
export const backupHandlers = (deps: HandlerDeps): HandlersOf<'backup'> => ({
  'backup.list': async (_input, ctx) => {
    const service = serviceOf(deps)
    return { backups: await service.list(ctx.db), running: service.progress(), lastFailure: service.failure(), settings: await readBackupSettings(ctx.db) }
  },
  'backup.create': async (_input, ctx) => {
    const running = serviceOf(deps).start('manual')
    await ctx.audit('backup.create', null, {})
    return { running }
  },
  'backup.setSettings': async (input, ctx) => {
    const settings = BackupSettings.parse(input)
    // a folder this host can see as it is: a relative path would land wherever the host was started
    if (settings.secondFolder !== '' && !(await isFolder(settings.secondFolder))) {
      throw new ApiFailure('VALIDATION', 'secondFolder: not a folder this host can reach by its full path', 'secondFolder', 'backup_folder')
    }
    await writeBackupSettings(ctx.db, settings, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:backup')
    return settings
  },
  // verified and swapped before the transaction (every connection closes for the swap); the
  // transaction then writes the audit rows into the restored database
  'backup.restore': {
    prepare: async (input) => {
      const report = await serviceOf(deps).restore(input.name)
      return async (ctx) => {
        ctx.auditTarget(`backup:${input.name}`)
        await ctx.audit('backup.restored', `backup:${input.name}`, { keptAs: report.keptAs, at: report.restored.at, counts: report.restored.counts })
        return report
      }
    },
  },
  // the admin's password again (counted like a change of password), then the key changes before
  // the transaction (every connection closes for it); the transaction audits it in the rekeyed file
  'backup.rekey': {
    prepare: async ({ password }, ctx) => {
      if (!deps.rekey) throw new ApiFailure('INTERNAL', 'a key change is not available on this host')
      const s = requireSession(ctx)
      const attempt = deps.auth.guard.beginPasswordChange(s.staffId)
      let good: boolean
      try {
        good = await verifyPassword(password, (await findStaffById(ctx.db, s.staffId))?.password_hash ?? DUMMY_HASH)
      } catch (err) {
        attempt.abandon()
        throw err
      }
      if (!good) {
        attempt.failed()
        await deps.auth.guard.flush()
        throw new ApiFailure('BAD_CREDENTIALS', 'the password is wrong', 'password')
      }
      attempt.succeeded()
      await deps.auth.guard.flush()
      const rekeyed = await deps.rekey()
      return async (tx) => {
        tx.auditTarget('database')
        return rekeyed
      }
    },
  },
})
