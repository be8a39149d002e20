import { hmac } from '@noble/hashes/hmac'
import { sha256 } from '@noble/hashes/sha2'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils'

/**
 * The public draw (摇号) of a subscription event, written so anyone can redo it by hand or with
 * any SHA-256 tool (docs/usage.md spells it out):
 *
 * 1. The eligible card numbers, ascending, one per line joined by "\n": the LIST. Its hash,
 *    LISTHASH = hex(SHA-256(LIST)), is published with the list before the draw.
 * 2. The host picks a secret SEED (64 hex characters) and publishes COMMITMENT = hex(SHA-256(SEED)).
 * 3. At the draw the SEED is revealed. A stream of 32-bit numbers comes from HMAC-SHA256 keyed
 *    with the SEED over the text `LISTHASH|PUBLIC|i` for i = 0, 1, 2, … (PUBLIC: a value fixed in
 *    advance, such as an index's closing figure, or empty); each 32-byte block gives eight
 *    big-endian numbers in turn.
 * 4. A number below n is drawn by rejection: numbers at or above 2^32 − (2^32 mod n) are skipped
 *    (so every index is exactly equally likely), the rest give `x mod n`.
 * 5. Fisher–Yates: for i from the last position down to 1, swap position i with position
 *    j = number below (i + 1). The shuffled list is the picking order.
 */

/** The list text of the eligible cards: their numbers ascending, one per line. */
export function drawListText(cardNos: readonly number[]): string {
  return [...cardNos].sort((a, b) => a - b).join('\n')
}

/** hex(SHA-256(text)): the list's hash, and the seed's commitment. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)))
}

/** A seed is 64 lowercase hex characters (32 random bytes). */
export const SEED_PATTERN = /^[0-9a-f]{64}$/

/** The stream of 32-bit numbers the shuffle uses, from the seed, the list's hash and the public value. */
export function drawNumbers(seed: string, listHash: string, publicValue: string): () => number {
  const key = utf8ToBytes(seed)
  let counter = 0
  let block: DataView | null = null
  let word = 8
  return () => {
    if (word === 8) {
      const bytes = hmac(sha256, key, utf8ToBytes(`${listHash}|${publicValue}|${counter}`))
      block = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      counter++
      word = 0
    }
    return block!.getUint32(4 * word++)
  }
}

/** A whole number in [0, n) from a stream of 32-bit numbers, without modulo bias (rejection sampling). */
export function uniformBelow(next: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) throw new RangeError(`bad range ${n}`)
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % n)
  for (;;) {
    const x = next()
    if (x < limit) return x % n
  }
}

/** What the draw publishes and what the verifier recomputes. */
export interface DrawResult {
  list: string
  listHash: string
  commitment: string
  /** the card numbers in picking order */
  order: number[]
}

/** The draw's order of the eligible cards from the revealed seed (the algorithm above). */
export function drawOrder(seed: string, cardNos: readonly number[], publicValue = ''): DrawResult {
  const list = drawListText(cardNos)
  const listHash = sha256Hex(list)
  const order = [...cardNos].sort((a, b) => a - b)
  const next = drawNumbers(seed, listHash, publicValue)
  for (let i = order.length - 1; i >= 1; i--) {
    const j = uniformBelow(next, i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  return { list, listHash, commitment: sha256Hex(seed), order }
}

/** Reads a published list text back into card numbers; null when a line is not a card number. */
export function parseDrawList(text: string): number[] | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')
  if (!lines.every((l) => /^[1-9][0-9]{0,8}$/.test(l))) return null
  return lines.map(Number)
}
