import type { ApiClient } from '@shared/contract/client'
import type { ImportView } from '@shared/contract/imports'
import type { ColumnMapping } from '@shared/domain/import-columns'
import type { Host } from '../../electron/host/host'

/**
 * A dry run to its end, as the import screen waits for it: imports.check (which answers checking),
 * then its job finished, then the import as imports.get shows it.
 */
export async function checkImport(host: Host, client: ApiClient, importId: number, mapping?: ColumnMapping): Promise<ImportView> {
  const started = await client.call('imports.check', { importId, ...(mapping ? { mapping } : {}) })
  if (started.status === 'checking' && started.jobId !== null) await host.jobs.finished(started.jobId)
  return client.call('imports.get', { importId })
}
