/** What one HID keyboard usage ID means to a card read. */
export type KeyMeaning =
  | { kind: 'char'; char: string }
  | { kind: 'enter' }
  /** modifier usages in key slots, ErrorRollOver and friends: not a key press */
  | { kind: 'ignore' }
  /** a key no card reader types (F-keys, arrows, vendor junk) */
  | { kind: 'unknown' }

const SHIFTED_DIGITS = '!@#$%^&*()'
// usage 0x2C..0x38: space - = [ ] \ # ; ' ` , . /
const PUNCT = ' -=[]\\#;\'`,./'
const PUNCT_SHIFTED = ' _+{}|~:"~<>?'

/** Left or right Shift in the boot report's modifier byte. */
export function shiftHeld(modifiers: number): boolean {
  return (modifiers & 0x22) !== 0
}

/**
 * Meaning of a keyboard usage ID (HID Usage Tables, page 0x07) on a US layout, the layout
 * every USB card reader assumes. Keypad digits type digits whatever Shift says.
 */
export function keyMeaning(usage: number, shift: boolean): KeyMeaning {
  if (usage <= 0x03 || (usage >= 0xe0 && usage <= 0xe7)) return { kind: 'ignore' }
  if (usage >= 0x04 && usage <= 0x1d) {
    const c = String.fromCharCode(0x61 + usage - 0x04)
    return { kind: 'char', char: shift ? c.toUpperCase() : c }
  }
  if (usage >= 0x1e && usage <= 0x27) {
    const i = usage - 0x1e
    return { kind: 'char', char: shift ? (SHIFTED_DIGITS[i] ?? '') : String((i + 1) % 10) }
  }
  if (usage === 0x28 || usage === 0x58) return { kind: 'enter' }
  if (usage >= 0x2c && usage <= 0x38) {
    return { kind: 'char', char: (shift ? PUNCT_SHIFTED : PUNCT)[usage - 0x2c] ?? '' }
  }
  if (usage >= 0x59 && usage <= 0x62) return { kind: 'char', char: String((usage - 0x59 + 1) % 10) }
  return { kind: 'unknown' }
}
