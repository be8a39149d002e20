import { maskIdValue, maskNumbersInText, maskPhoneValue } from './audit-numbers'

/**
 * How deep the audit log follows an input. API inputs nest a few levels (a client, its
 * phones, a need); anything past this is an attack or a bug, and the row keeps a marker
 * instead, so the call is still audited.
 */
export const AUDIT_MAX_DEPTH = 32
export const TOO_DEEP = '[too deep]'
export const SECRET = '***'

/** What the audit log stores of an input, and the numbers it saw (normalised, for the keyed hashes). */
export interface Redacted {
  value: unknown
  numbers: string[]
}

type Role = 'plain' | 'phone' | 'id'

const SECRET_KEY = /password|token|secret/i
const PHONE_KEY = /phone|mobile|^tel$|telephone|fax|手机|电话/i
const ID_KEY = /^id_?(?:number|no|card)|idcard|identity|citizen_?id|身份证/i
// inside a phone list item ({ number, label }), the key that holds the number itself
const PHONE_ITEM_KEY = /^(?:number|value|digits)$/

function roleOfKey(key: string, parent: Role): Role | 'secret' {
  if (SECRET_KEY.test(key)) return 'secret'
  if (ID_KEY.test(key)) return 'id'
  if (PHONE_KEY.test(key)) return 'phone'
  if (parent === 'phone' && PHONE_ITEM_KEY.test(key)) return 'phone'
  return 'plain'
}

interface Slot {
  src: unknown
  depth: number
  role: Role
  put(v: unknown): void
}

/**
 * The input as the audit log keeps it: secrets replaced, phones and ID numbers masked
 * (recognised by key name: phone, phones[].number, mobile, idNumber… and by shape in any
 * string), containers deeper than AUDIT_MAX_DEPTH replaced by a marker. Iterative, so no
 * input can overflow the stack.
 */
export function redactForAudit(input: unknown): Redacted {
  const numbers = new Set<string>()
  const found = { add: (n: string) => void numbers.add(n) }
  let root: unknown
  const stack: Slot[] = [{ src: input, depth: 0, role: 'plain', put: (v) => (root = v) }]
  while (stack.length > 0) {
    const { src, depth, role, put } = stack.pop()!
    if (typeof src === 'string') {
      put(role === 'phone' ? maskPhoneValue(src, found) : role === 'id' ? maskIdValue(src, found) : maskNumbersInText(src, found))
    } else if (typeof src === 'number' && role !== 'plain' && String(src).length >= 7) {
      put(role === 'phone' ? maskPhoneValue(String(src), found) : maskIdValue(String(src), found))
    } else if (src === null || typeof src !== 'object') {
      put(src)
    } else if (depth >= AUDIT_MAX_DEPTH) {
      put(TOO_DEEP)
    } else if (Array.isArray(src)) {
      const out: unknown[] = new Array<unknown>(src.length)
      put(out)
      src.forEach((item, i) => stack.push({ src: item, depth: depth + 1, role, put: (v) => (out[i] = v) }))
    } else {
      // no prototype: a key named __proto__ (JSON.parse makes one) stays a plain key
      const out = Object.create(null) as Record<string, unknown>
      put(out)
      for (const [key, item] of Object.entries(src)) {
        const name = maskNumbersInText(key, found)
        const childRole = roleOfKey(key, role)
        // each key is placed now, so the stored JSON keeps the input's order
        out[name] = childRole === 'secret' ? SECRET : undefined
        if (childRole !== 'secret') stack.push({ src: item, depth: depth + 1, role: childRole, put: (v) => (out[name] = v) })
      }
    }
  }
  return { value: root, numbers: [...numbers].sort() }
}
