/**
 * Burst detection for keyboard-type card readers (keyboard wedge): a reader "types" its
 * digits far faster than a person and ends with Enter. Pure state machine: the renderer
 * feeds every keydown with its timestamp and where focus is, and acts on the answer.
 * No DOM here; shared/ runs in the page and in Node tests.
 */

/** Where the key goes: an ordinary text field (never intercepted), the designated swipe field, or nothing that takes text. */
export type WedgeFocus = 'text-field' | 'swipe-field' | 'none'

export interface WedgeOptions {
  /** keys closer together than this are a machine (ms) */
  maxGapMs: number
  /** at least this many characters before Enter make a swipe */
  minChars: number
  /** also accept hex letters a-f (readers set to print hex) */
  hex: boolean
}

const DEFAULT_WEDGE_OPTIONS: WedgeOptions = { maxGapMs: 30, minChars: 6, hex: false }

/** What the renderer does with one key. */
export interface WedgeStep {
  /** true: stop this key now (preventDefault); it is either part of a swipe or comes back in `pass` later */
  hold: boolean
  /** held keys that turned out to be typing, to deliver in this order before anything else */
  pass: string[]
  /** the text of a completed swipe (without Enter) */
  swipe: string | null
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock'])

/**
 * Tells card swipes from typing. A swipe is at least `minChars` digits, each less than
 * `maxGapMs` after the one before, ended by Enter equally fast, while focus is on nothing
 * that takes text or on the swipe field. Digits are held back until that is decided: they
 * are handed back in `pass` as soon as a gap, another key, a slow Enter or a focus change
 * shows they were typed by a person (call `tick` at `deadline()` to flush after a pause).
 * In an ordinary text field nothing is ever held.
 */
export class KeyboardWedgeDetector {
  private readonly options: WedgeOptions
  private held: string[] = []
  private lastAt = 0

  constructor(options: Partial<WedgeOptions> = {}) {
    this.options = { ...DEFAULT_WEDGE_OPTIONS, ...options }
  }

  /** Feeds one keydown (`key` as KeyboardEvent.key; `repeat` as KeyboardEvent.repeat: a held-down key is a person). */
  key(key: string, at: number, focus: WedgeFocus, repeat = false): WedgeStep {
    if (MODIFIERS.has(key)) return this.step(false, [])
    const pass = this.expire(at)
    if (focus === 'text-field' || repeat) return this.step(false, [...pass, ...this.flush()])
    if (this.isSwipeChar(key)) {
      this.held.push(key)
      this.lastAt = at
      return this.step(true, pass)
    }
    if (key === 'Enter' && this.held.length >= this.options.minChars) {
      const swipe = this.held.join('')
      this.held = []
      return { hold: true, pass, swipe }
    }
    return this.step(false, [...pass, ...this.flush()])
  }

  /** Hands back held keys once the pause after them shows they were typed by a person. */
  tick(now: number): WedgeStep {
    return this.step(false, this.expire(now))
  }

  /** When `tick` should be called next, or null when nothing is held. */
  deadline(): number | null {
    return this.held.length > 0 ? this.lastAt + this.options.maxGapMs : null
  }

  private isSwipeChar(key: string): boolean {
    return /^[0-9]$/.test(key) || (this.options.hex && /^[a-fA-F]$/.test(key))
  }

  private expire(now: number): string[] {
    return this.held.length > 0 && now - this.lastAt >= this.options.maxGapMs ? this.flush() : []
  }

  private flush(): string[] {
    const keys = this.held
    this.held = []
    return keys
  }

  private step(hold: boolean, pass: string[]): WedgeStep {
    return { hold, pass, swipe: null }
  }
}
