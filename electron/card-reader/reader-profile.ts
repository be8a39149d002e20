import { z } from 'zod'
import type { HidDeviceInfo } from './device'
import { BYTES_UID_FORMATS, TEXT_UID_FORMATS } from '@shared/domain/card-uid'

/** A 16-bit USB/HID number, written in profiles.json as 0x1234 or as a plain number. */
const Word = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,4}$/, 'write hex numbers as "0x1234"')
    .transform((s) => parseInt(s, 16)),
])
const Byte = z.number().int().min(0).max(0xff)

const Common = {
  /** stable kebab-case id; learned profiles and settings refer to it */
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case id'),
  /** shown to the admin, e.g. "USB ID 读卡器 (EM4100, 10 位十进制)" */
  name: z.string().min(1),
  /** where the numbers come from (e.g. "VID/PID made up for the example") */
  note: z.string().optional(),
  vendorId: Word,
  productId: Word,
  /** picks the right interface of a composite device; absent = any */
  usagePage: Word.optional(),
  usage: Word.optional(),
  /** when set, every report starts with this report ID byte */
  reportId: Byte.optional(),
}

/** A reader that acts as a USB keyboard: it types the UID and presses Enter. */
export const KeyboardReaderProfile = z
  .object({
    ...Common,
    kind: z.literal('keyboard'),
    uidFormat: z.enum(TEXT_UID_FORMATS),
    /** a read that gets no Enter within this many ms of its last key is dropped */
    keyTimeoutMs: z.number().int().min(50).max(5000).default(500),
  })
  .strict()

/**
 * A reader that sends the UID in reports on a vendor usage page (0xFF00..0xFFFF). Offsets
 * count bytes as node-hid delivers the report, the report ID byte included when there is one.
 */
export const VendorReaderProfile = z
  .object({
    ...Common,
    kind: z.literal('vendor'),
    uidFormat: z.enum(BYTES_UID_FORMATS),
    /** offset of the byte that holds the UID length; 0 there means "no card" */
    lengthByteOffset: z.number().int().min(0).max(63),
    /** offset of the first UID byte */
    uidOffset: z.number().int().min(0).max(63),
    /** reads claiming a longer UID are refused */
    maxUidLength: z.number().int().min(1).max(10),
    /** a check byte right after the UID, over the bytes from the length byte to the last UID byte */
    checksum: z.enum(['none', 'xor', 'sum8']).default('none'),
    /** the same UID again within this many ms (card left on the reader) is one swipe */
    repeatSuppressMs: z.number().int().min(0).max(10_000).default(1000),
  })
  .strict()
  .refine((p) => p.uidOffset > p.lengthByteOffset, { message: 'uidOffset must come after lengthByteOffset', path: ['uidOffset'] })

/** One reader model: how to find it (VID/PID/usage) and how to read a UID from it. */
export const ReaderProfile = z.discriminatedUnion('kind', [KeyboardReaderProfile, VendorReaderProfile])
export type ReaderProfile = z.infer<typeof ReaderProfile>
export type ReaderProfileInput = z.input<typeof ReaderProfile>
export type KeyboardReaderProfile = z.infer<typeof KeyboardReaderProfile>
export type VendorReaderProfile = z.infer<typeof VendorReaderProfile>

/** The content of a profiles file: a list in priority order with unique ids. */
export const ReaderProfileList = z.array(ReaderProfile).superRefine((list, ctx) => {
  const seen = new Set<string>()
  list.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', message: `duplicate profile id "${p.id}"`, path: [i, 'id'] })
    seen.add(p.id)
  })
})

/** Whether a connected HID interface is the reader a profile describes (usage only checked when both know it). */
export function profileMatches(profile: ReaderProfile, device: HidDeviceInfo): boolean {
  if (device.vendorId !== profile.vendorId || device.productId !== profile.productId) return false
  if (profile.usagePage !== undefined && device.usagePage !== undefined && device.usagePage !== profile.usagePage) return false
  if (profile.usage !== undefined && device.usage !== undefined && device.usage !== profile.usage) return false
  return true
}

/** The first profile (in list order) that claims a device, if any. */
export function findProfile(profiles: readonly ReaderProfile[], device: HidDeviceInfo): ReaderProfile | undefined {
  return profiles.find((p) => profileMatches(p, device))
}
