import { BackupSettings } from '@shared/contract/backup'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerDeps, HandlersOf } from '../../api/handler'
import type { BackupService } from './backup-service'
import { BACKUP_SETTINGS_KEY, readBackupSettings } from './backup-service'

function serviceOf(deps: HandlerDeps): BackupService {
  if (!deps.backups) throw new ApiFailure('INTERNAL', 'backups are not available on this host')
  return deps.backups
}

/** Backups and restore: the admin's alone (permissions.ts); each is audited. */
export const backupHandlers = (deps: HandlerDeps): HandlersOf<'backup'> => ({
  'backup.list': async (_input, ctx) => {
    const service = serviceOf(deps)
    return { backups: await service.list(), running: service.progress(), lastFailure: service.failure(), settings: await readBackupSettings(ctx.db) }
  },
  'backup.create': async (_input, ctx) => {
    const running = serviceOf(deps).start('manual')
    await ctx.audit('backup.create', null, {})
    return { running }
  },
  'backup.setSettings': async (input, ctx) => {
    const settings = BackupSettings.parse(input)
    const value = JSON.stringify(settings)
    const at = ctx.clock.now().toISOString()
    await ctx.db
      .insertInto('settings')
      .values({ key: BACKUP_SETTINGS_KEY, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute()
    ctx.auditTarget('settings:backup')
    return settings
  },
  'backup.restore': async () => {
    throw new ApiFailure('INTERNAL', 'restore is not built yet')
  },
})
