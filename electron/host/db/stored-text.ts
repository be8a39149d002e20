import { HostText } from '@shared/contract/host-text'

/*
 * How host texts (shared/contract/host-text.ts) are stored: a key column and a JSON parameters
 * column (tasks, notifications), or the whole text as JSON in one column (ledger reasons, step and
 * finance notes, assignment reasons). Anything stored that is not a host text reads as `legacy`.
 */

/** The JSON of a text's parameters, for a `*_params` column. */
export function paramsJson(text: HostText): string {
  return JSON.stringify(text.params)
}

/** A text from its key and parameters columns. */
export function textOf(key: string, params: string): HostText {
  return { key, params: parsedParams(params) }
}

/** A whole text as JSON, for a one-column text. */
export function textJson(text: HostText): string {
  return JSON.stringify(text)
}

/** A one-column text as stored; plain words (never written since migration 009, but readable) as `legacy`. */
export function storedText(json: string): HostText {
  try {
    const parsed = HostText.safeParse(JSON.parse(json))
    if (parsed.success) return parsed.data
  } catch {
    // not JSON: words stored as they were
  }
  return { key: 'legacy', params: { text: json } }
}

function parsedParams(json: string): HostText['params'] {
  try {
    const parsed = HostText.shape.params.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : {}
  } catch {
    return {}
  }
}
