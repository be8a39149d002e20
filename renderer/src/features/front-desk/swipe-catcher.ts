import type { InputOf } from '@shared/contract'
import { KeyboardWedgeDetector, type WedgeFocus } from '@shared/domain/keyboard-wedge'

/** A card read as the host takes it: a UID from this PC's reader driver, or what a keyboard-type reader typed. */
export type CardReadInput = InputOf<'cards.identify'>['read']
/** How a keyboard-type reader types a UID. */
export type TextFormat = Extract<CardReadInput, { text: string }>['format']

/** One keydown as the catcher needs it. */
export interface KeyPress {
  /** KeyboardEvent.key */
  key: string
  /** KeyboardEvent.timeStamp */
  at: number
  /** Ctrl, Alt or Meta held: a person's shortcut */
  chord: boolean
  /** KeyboardEvent.repeat: a key held down */
  repeat: boolean
}

/** What the page does with one key: deliver `pass` first, stop the key when `hold`, and take `swipe` when a card was read. */
interface Caught {
  pass: string[]
  hold: boolean
  swipe: CardReadInput | null
}

/** What has focus, as far as swipes care: the element's tag, input type, editability and the swipe-field mark. */
interface FocusedElement {
  tag: string
  type: string
  editable: boolean
  swipeField: boolean
}

// input types that take no text: a swipe while one has focus is still caught
const NOT_TEXT = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'])

/** Where keys go for swipe detection: the swipe field, a field that takes text (never intercepted), or nothing. */
export function focusKind(el: FocusedElement | null): WedgeFocus {
  if (!el) return 'none'
  if (el.swipeField) return 'swipe-field'
  if (el.tag === 'TEXTAREA' || el.tag === 'SELECT' || el.editable) return 'text-field'
  if (el.tag === 'INPUT') return NOT_TEXT.has(el.type) ? 'none' : 'text-field'
  return 'none'
}

/**
 * The page's side of keyboard-type readers: burst detection (shared/domain/keyboard-wedge.ts)
 * in the reader's format, where hex readers also type a–f; a chord (Ctrl+1, Alt+Enter) is a
 * person and ends any burst.
 */
export class SwipeCatcher {
  private detector = new KeyboardWedgeDetector()
  private hex = false

  /** Feeds one keydown; `format` is how the reader types (it may change between keys when the reader is set up). */
  key(press: KeyPress, focus: WedgeFocus, format: TextFormat): Caught {
    const hex = format.startsWith('hex')
    if (hex !== this.hex) {
      this.detector = new KeyboardWedgeDetector({ hex })
      this.hex = hex
    }
    const step = this.detector.key(press.chord ? 'Chord' : press.key, press.at, focus, press.repeat)
    return { pass: step.pass, hold: step.hold, swipe: step.swipe === null ? null : { text: step.swipe, format } }
  }

  /** Held keys the pause since shows were typed by a person (call at `deadline()`). */
  tick(now: number): string[] {
    return this.detector.tick(now).pass
  }

  /** When `tick` is due, or null when nothing is held. */
  deadline(): number | null {
    return this.detector.deadline()
  }
}
