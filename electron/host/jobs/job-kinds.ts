import { rulesPassJob } from '../domains/followups/rules/pass-job'
import { departJob } from '../domains/staff/depart-job'
import { followUpImportJob } from '../domains/imports/follow-up-import-job'
import { importCheckJob } from '../domains/imports/import-check-job'
import { importJob } from '../domains/imports/import-job'
import type { AnyJobKind } from './job-kind'

/** Every kind of long job the host works (a job row names its kind). */
export const JOB_KINDS: readonly AnyJobKind[] = [rulesPassJob, departJob, importCheckJob, importJob, followUpImportJob]
