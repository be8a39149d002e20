import { z } from 'zod'
import { Id, type ContractTable } from './common'
import { Unit } from './units'

export const matchingContract = {
  'matching.unitsForClient': {
    input: z.strictObject({ clientId: Id, limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({
      units: z.array(Unit.extend({ projectId: Id, projectName: z.string(), buildingName: z.string() })),
      /** the client's active needs: 0 means none is recorded, so nothing can fit */
      activeNeeds: z.number().int(),
    }),
    write: false,
    summary: "Available units that fit a client's needs, with the project to open each on the board.",
  },
  'matching.clientsForUnit': {
    input: z.strictObject({ unitId: Id, limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({ clients: z.array(z.object({ id: Id, code: z.string(), name: z.string(), owner: z.string().nullable(), tier: z.string() })) }),
    write: false,
    summary: 'Clients whose needs a unit fits (to recommend it).',
  },
} as const satisfies ContractTable
