import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

const Range = (max: number) => z.number().int().min(0).max(max).nullable().optional()
const FEN_MAX = 100_000_000_00 * 10 // 10 billion yuan in fen: beyond any branch deal

/** What a client is looking for. Areas in 0.01 m², money in fen (STYLE §8). */
export const RequirementData = z.strictObject({
  kind: z.enum(['residential', 'commercial']),
  regions: z.array(textField('line', 40, 1)).max(10).default([]),
  propertyType: z.enum(['apartment', 'villa', 'serviced_apartment', 'shop', 'office', 'factory', 'warehouse', 'other']).nullable().optional(),
  layout: textField('line', 20).nullable().optional(),
  areaMin: Range(10_000_000),
  areaMax: Range(10_000_000),
  bedroomsMin: Range(20),
  bedroomsMax: Range(20),
  bathroomsMin: Range(20),
  floorMin: z.number().int().min(-5).max(200).nullable().optional(),
  floorMax: z.number().int().min(-5).max(200).nullable().optional(),
  view: textField('line', 40).nullable().optional(),
  orientation: z.enum(['south', 'north', 'east', 'west', 'south_north', 'east_west', 'any']).nullable().optional(),
  parking: z.boolean().nullable().optional(),
  decoration: z.enum(['bare', 'simple', 'fine', 'luxury', 'any']).nullable().optional(),
  unitPriceMin: Range(FEN_MAX),
  unitPriceMax: Range(FEN_MAX),
  totalPriceMin: Range(FEN_MAX),
  totalPriceMax: Range(FEN_MAX),
  payment: z.enum(['full', 'loan', 'installment']).nullable().optional(),
  loanType: z.enum(['commercial', 'provident', 'combined']).nullable().optional(),
  /** share of the price borrowed, in percent. */
  mortgageRatio: z.number().int().min(0).max(90).nullable().optional(),
  amenities: z
    .strictObject({ school: z.boolean(), metro: z.boolean(), mall: z.boolean(), club: z.boolean() })
    .partial()
    .default({}),
  /** commercial/industrial: office grade (甲/乙/丙) and facilities. */
  grade: z.enum(['A', 'B', 'C']).nullable().optional(),
  facilities: textField('line', 200).nullable().optional(),
  note: textField('note', 500).nullable().optional(),
})
export type RequirementData = z.infer<typeof RequirementData>

/** A requirement as stored and shown: the same fields, its words as plain strings (older rows predate the text kinds). */
const RequirementStored = z.object({
  ...RequirementData.shape,
  regions: z.array(z.string()).default([]),
  layout: z.string().nullable().optional(),
  view: z.string().nullable().optional(),
  amenities: z.object({ school: z.boolean(), metro: z.boolean(), mall: z.boolean(), club: z.boolean() }).partial().default({}),
  facilities: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
})

const RANGES = [
  ['areaMin', 'areaMax'],
  ['bedroomsMin', 'bedroomsMax'],
  ['floorMin', 'floorMax'],
  ['unitPriceMin', 'unitPriceMax'],
  ['totalPriceMin', 'totalPriceMax'],
] as const

/** min > max is refused on the max field. */
export function checkRanges(v: Partial<RequirementData>, ctx: z.RefinementCtx) {
  for (const [lo, hi] of RANGES) {
    const a = v[lo]
    const b = v[hi]
    if (a != null && b != null && a > b) {
      ctx.addIssue({ code: 'custom', path: [hi], message: `${hi} must not be below ${lo}`, params: { reason: 'range' } })
    }
  }
}

export const Requirement = RequirementStored.extend({
  id: Id,
  clientId: Id,
  active: z.boolean(),
  version: z.number().int(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
})

export const RequirementVersion = z.object({
  version: z.number().int(),
  data: RequirementStored,
  changedBy: z.string().nullable(),
  changedAt: IsoTime,
})

export const needsContract = {
  'needs.list': {
    input: z.strictObject({ clientId: Id, includeInactive: z.boolean().default(false) }),
    output: z.object({ needs: z.array(Requirement) }),
    write: false,
    summary: "A client's requirements (viewers with full access).",
  },
  'needs.create': {
    input: RequirementData.extend({ clientId: Id }).superRefine(checkRanges),
    output: Requirement,
    write: true,
    summary: 'Add a requirement to a client.',
  },
  'needs.update': {
    // no defaults on update: regions and amenities left out stay as they are
    input: RequirementData.partial()
      .extend({
        id: Id,
        version: z.number().int().min(0),
        active: z.boolean().optional(),
        regions: RequirementData.shape.regions.unwrap().optional(),
        amenities: RequirementData.shape.amenities.unwrap().optional(),
      })
      .superRefine(checkRanges),
    output: Requirement,
    write: true,
    summary: 'Edit a requirement; the previous version is kept in its history.',
  },
  'needs.history': {
    input: z.strictObject({ id: Id }),
    output: z.object({ versions: z.array(RequirementVersion) }),
    write: false,
    summary: "A requirement's earlier versions, newest first.",
  },
} as const satisfies ContractTable
