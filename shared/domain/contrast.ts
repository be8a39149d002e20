/**
 * WCAG 2.x contrast for the board's status colours: every text on a status colour (cells,
 * legend, print) is black or white, whichever reads better, and either is at least AA (4.5:1)
 * on any colour a branch can pick (the worse of the two is never below 4.58:1).
 */

/** The two text colours a status colour can carry. */
export const DARK_TEXT = '#000000'
export const LIGHT_TEXT = '#ffffff'

/** WCAG AA for normal text. */
export const AA_NORMAL = 4.5

function channel(v: number): number {
  const s = v / 255
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}

/** Relative luminance of `#rrggbb` (WCAG 2.x: sRGB linearised, 0 black .. 1 white). */
export function luminance(hex: string): number {
  const n = parseInt(hex.replace('#', ''), 16)
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

/** The WCAG contrast ratio of two `#rrggbb` colours, 1 .. 21. */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a)
  const lb = luminance(b)
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

/** The text colour for a `#rrggbb` background: black or white, whichever contrasts more. */
export function textOn(background: string): string {
  return contrastRatio(DARK_TEXT, background) >= contrastRatio(LIGHT_TEXT, background) ? DARK_TEXT : LIGHT_TEXT
}
