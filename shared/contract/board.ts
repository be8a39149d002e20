import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { UnitStatus } from '../domain/unit-status'
import { Unit } from './units'

export const StatusTotals = z.object({ status: UnitStatus, count: z.number().int(), area: z.number().int(), amount: z.number().int() })

export const Board = z.object({
  project: z.object({ id: Id, name: z.string(), district: z.string().nullable() }),
  buildings: z.array(z.object({ id: Id, name: z.string(), floors: z.number().int(), unitsPerFloor: z.number().int() })),
  units: z.array(Unit),
  totals: z.array(StatusTotals),
  palette: z.record(UnitStatus, z.string()),
  generatedAt: IsoTime,
})

export const PublishedBoard = z.object({
  project: z.object({ id: Id, name: z.string() }),
  publishedAt: IsoTime.nullable(),
  publishedBy: z.string().nullable(),
  /** no client names, ever: the lobby screen is public */
  units: z.array(z.object({ id: Id, buildingId: Id, floor: z.number().int(), number: z.string(), layout: z.string().nullable(), area: z.number().int(), listPrice: z.number().int(), status: UnitStatus })),
  buildings: z.array(z.object({ id: Id, name: z.string() })),
  totals: z.array(StatusTotals),
  palette: z.record(UnitStatus, z.string()),
})

/** A board colour: `#rrggbb`. */
const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/
export const HexColour = z
  .string()
  .refine((v) => HEX_COLOUR.test(v), { message: 'must be a colour as #rrggbb', params: { reason: 'bad_colour' } })
  .meta({ pattern: HEX_COLOUR.source })

/** The board colours: one `#rrggbb` per status, every status named (a bad one is reported as `palette.<status>`). */
export const BoardPalette = z.strictObject(Object.fromEntries(UnitStatus.options.map((s) => [s, HexColour])) as Record<UnitStatus, typeof HexColour>)

export const boardContract = {
  'board.get': {
    input: z.strictObject({ projectId: Id }),
    output: Board,
    write: false,
    summary: 'The live sales-control board of a project: every unit with its derived status, totals per status, colours.',
  },
  'board.units': {
    input: z.strictObject({ projectId: Id, unitIds: z.array(Id).min(1).max(500) }),
    output: z.object({ units: z.array(Unit), generatedAt: IsoTime }),
    write: false,
    summary: 'Some units of a live board, as board.get shows them: an open board refreshes only the units a board.changed push names.',
  },
  'board.publish': {
    input: z.strictObject({ projectId: Id }),
    output: z.object({ publishedAt: IsoTime }),
    write: true,
    summary: 'Publish the current board to the lobby display (managers).',
  },
  'board.published': {
    input: z.strictObject({ projectId: Id }),
    output: PublishedBoard,
    write: false,
    summary: 'The last published board, for the lobby screen (no client names).',
  },
  'board.getPalette': {
    input: z.strictObject({}),
    output: z.object({ palette: BoardPalette, /** false while the built-in colours are in use */ custom: z.boolean() }),
    write: false,
    summary: 'The board colours per status, and whether the branch has set its own (managers and admins).',
  },
  'board.setPalette': {
    input: z.strictObject({ /** null goes back to the built-in colours */ palette: BoardPalette.nullable() }),
    output: z.object({ palette: BoardPalette, custom: z.boolean() }),
    write: true,
    summary: 'Set the board colours per status, or null for the built-in ones (managers and admins); every open board reloads. The lobby screen takes them at the next publish.',
  },
} as const satisfies ContractTable
