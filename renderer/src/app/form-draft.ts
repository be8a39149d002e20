import { z } from 'zod'

const Plain = z.union([z.string(), z.number(), z.boolean()])
/** What a kept draft may hold: top-level text, numbers, yes/no, and lists of them. */
const Draft = z.record(z.string(), z.union([Plain, z.array(Plain)]))
export type FormDraft = z.infer<typeof Draft>

/** Where this tab keeps a dialog's draft: per staff member, so a colleague signing in on the same tab never sees it. */
export function draftKey(staffId: number, dialog: string): string {
  return `keyuan.draft.${staffId}.${dialog}`
}

/**
 * The part of a dialog's values a draft keeps: what the person typed or picked as text, numbers,
 * yes/no and lists of them. Dates (dayjs objects) and nested answers are left out: they do not come
 * back from JSON as they went in, and they are quick to pick again. Null when nothing is left.
 */
export function draftOf(values: unknown): FormDraft | null {
  if (typeof values !== 'object' || values === null) return null
  const kept: FormDraft = {}
  for (const [name, value] of Object.entries(values)) {
    const plain = Plain.safeParse(value)
    const list = z.array(Plain).safeParse(value)
    if (plain.success) kept[name] = plain.data
    else if (list.success) kept[name] = list.data
  }
  return Object.keys(kept).length > 0 ? kept : null
}

/** A kept draft read back (sessionStorage is outside input: anything that does not parse is no draft). */
export function parseDraft(text: string | null): FormDraft | null {
  if (text === null) return null
  try {
    const parsed = Draft.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
