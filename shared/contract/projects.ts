import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

export const projectsContract = {
  'projects.create': {
    input: z.strictObject({ name: textField('line', 60, 1), district: textField('line', 40).optional() }),
    output: z.object({ id: Id }),
    write: true,
    summary: 'Create a project (楼盘).',
  },
  'projects.list': {
    input: z.strictObject({}),
    output: z.object({ projects: z.array(z.object({ id: Id, name: z.string(), district: z.string().nullable(), units: z.number().int(), publishedAt: IsoTime.nullable() })) }),
    write: false,
    summary: 'Projects with unit counts.',
  },
} as const satisfies ContractTable
