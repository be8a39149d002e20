import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { InputOf } from '@shared/contract'
import { KeyboardWedgeDetector, type WedgeFocus } from '@shared/domain/keyboard-wedge'
import { desktopBridge } from '../../app/desktop'

/** A card read as the host takes it: a UID from this PC's reader driver, or what a keyboard-type reader typed. */
export type CardReadInput = InputOf<'cards.identify'>['read']
type TextFormat = Extract<CardReadInput, { text: string }>['format']

const FORMATS: readonly TextFormat[] = ['decimal-10', 'decimal-10-le', 'decimal-8', 'hex-be', 'hex-le']

/** The reader status light: the desktop reader's state, or 'browser' in a plain browser (keyboard-type readers only). */
export interface ReaderLight {
  state: 'connected' | 'none' | 'error' | 'keyboard-wedge' | 'browser' | 'waiting'
  detail: string | null
  uidFormat: TextFormat | null
}

/** Who hears swipes: the page, or a dialog on top of it waiting for a card. The latest one registered hears them. */
export interface SwipeListener {
  /** `at` is the performance.now() time the swipe arrived (the Enter keydown for keyboard readers). */
  onSwipe(read: CardReadInput, at: number): void
  /** digits typed with no text field focused (held back, then found to be typing). */
  onTyped?(text: string): void
  /** the desktop reader could not make sense of a card. */
  onRejected?(reason: string): void
}

/** Marks the one input where swipes are still caught (the big field on 前台). */
export const SWIPE_FIELD_ATTR = 'data-swipe-field'

const listeners: SwipeListener[] = []
const top = () => listeners[listeners.length - 1]

// ---- reader status ------------------------------------------------------------------------

const bridge = typeof window === 'undefined' ? undefined : desktopBridge()
let light: ReaderLight = bridge ? { state: 'waiting', detail: null, uidFormat: null } : { state: 'browser', detail: null, uidFormat: null }
const lightWatchers = new Set<() => void>()

function toFormat(f: string | null): TextFormat | null {
  return FORMATS.includes(f as TextFormat) ? (f as TextFormat) : null
}

// subscribed when the bundle loads, so no status the desktop sends is missed while no page is open
bridge?.onCardStatus((s) => {
  const state = (['connected', 'none', 'error', 'keyboard-wedge'] as const).find((x) => x === s.state) ?? 'error'
  light = { state, detail: s.detail, uidFormat: toFormat(s.uidFormat) }
  lightWatchers.forEach((w) => w())
})
bridge?.onCardSwipe((uid) => top()?.onSwipe({ uid }, performance.now()))
bridge?.onCardRejected((reason) => top()?.onRejected?.(reason))

/** The reader status light, live. */
export function useReaderLight(): ReaderLight {
  return useSyncExternalStore(
    (w) => {
      lightWatchers.add(w)
      return () => lightWatchers.delete(w)
    },
    () => light,
  )
}

/** How typed card numbers are read: the keyboard-type reader's format, else the common 10-digit decimal. */
export function typedFormat(): TextFormat {
  return light.uidFormat ?? 'decimal-10'
}

// ---- keyboard-type readers: burst detection ----------------------------------------------

let detector = new KeyboardWedgeDetector()
let detectorHex = false
let timer: ReturnType<typeof setTimeout> | null = null

const NOT_TEXT = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'])

function focusOf(el: Element | null): WedgeFocus {
  if (!(el instanceof HTMLElement)) return 'none'
  if (el.hasAttribute(SWIPE_FIELD_ATTR)) return 'swipe-field'
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || el.isContentEditable) return 'text-field'
  if (el instanceof HTMLInputElement) return NOT_TEXT.has(el.type) ? 'none' : 'text-field'
  return 'none'
}

/**
 * Types text into an input at its caret, as if typed: the DOM value changes at once (so keys
 * that follow land after it) and React hears an input event.
 */
export function typeInto(el: HTMLInputElement, text: string): void {
  el.setRangeText(text, el.selectionStart ?? el.value.length, el.selectionEnd ?? el.value.length, 'end')
  el.dispatchEvent(new Event('input', { bubbles: true }))
}

/** Puts held-back typing where it belongs: into the swipe field at the caret, else to the page. */
function deliverTyped(keys: string[]): void {
  if (keys.length === 0) return
  const text = keys.join('')
  const el = document.activeElement
  if (el instanceof HTMLInputElement && el.hasAttribute(SWIPE_FIELD_ATTR)) typeInto(el, text)
  else top()?.onTyped?.(text)
}

function schedule(): void {
  if (timer) clearTimeout(timer)
  timer = null
  const due = detector.deadline()
  if (due === null) return
  timer = setTimeout(
    () => {
      timer = null
      deliverTyped(detector.tick(performance.now()).pass)
      schedule()
    },
    Math.max(0, due - performance.now()),
  )
}

function onKeyDown(e: KeyboardEvent): void {
  const format = typedFormat()
  const hex = format.startsWith('hex')
  if (hex !== detectorHex) {
    detector = new KeyboardWedgeDetector({ hex })
    detectorHex = hex
  }
  // a chord (Ctrl+1, Alt+Enter) is a person; it ends any burst
  const key = e.ctrlKey || e.altKey || e.metaKey ? 'Chord' : e.key
  const step = detector.key(key, e.timeStamp, focusOf(document.activeElement), e.repeat)
  deliverTyped(step.pass)
  if (step.hold) {
    e.preventDefault()
    e.stopImmediatePropagation()
  }
  if (step.swipe !== null) top()?.onSwipe({ text: step.swipe, format }, e.timeStamp)
  schedule()
}

function register(l: SwipeListener): () => void {
  listeners.push(l)
  if (listeners.length === 1) window.addEventListener('keydown', onKeyDown, true)
  return () => {
    const i = listeners.lastIndexOf(l)
    if (i >= 0) listeners.splice(i, 1)
    if (listeners.length === 0) {
      window.removeEventListener('keydown', onKeyDown, true)
      deliverTyped(detector.tick(Number.MAX_SAFE_INTEGER).pass)
      if (timer) clearTimeout(timer)
      timer = null
    }
  }
}

/**
 * Hears card swipes while `active`: from this PC's reader (desktop) and from keyboard-type
 * readers anywhere on the page (burst detection; ordinary text fields are never intercepted).
 * The latest active listener hears them, so a dialog waiting for a card takes them from the page.
 */
export function useCardSwipes(listener: SwipeListener, active = true): void {
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => {
    if (!active) return
    return register({
      onSwipe: (read, at) => latest.current.onSwipe(read, at),
      onTyped: (text) => latest.current.onTyped?.(text),
      onRejected: (reason) => latest.current.onRejected?.(reason),
    })
  }, [active])
}
