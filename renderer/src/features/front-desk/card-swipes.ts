import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { WedgeFocus } from '@shared/domain/keyboard-wedge'
import { desktopBridge } from '../../app/desktop'
import { focusKind, SwipeCatcher, type CardReadInput, type TextFormat } from './swipe-catcher'

const FORMATS: readonly TextFormat[] = ['decimal-10', 'decimal-10-le', 'decimal-8', 'hex-be', 'hex-le']

/** The reader status light: the desktop reader's state, or 'browser' in a plain browser (keyboard-type readers only). */
export interface ReaderLight {
  state: 'connected' | 'none' | 'error' | 'keyboard-wedge' | 'browser' | 'waiting'
  detail: string | null
  uidFormat: TextFormat | null
}

/** Who hears swipes: the page, or a dialog on top of it waiting for a card. The latest one registered hears them. */
interface SwipeListener {
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
// hears swipes when no page or dialog does (the app frame: a swipe anywhere opens the card)
let fallback: SwipeListener | null = null
const top = () => listeners[listeners.length - 1] ?? fallback ?? undefined

// a swipe the frame passed on to the page it opens: the next listener to register takes it
const HANDOVER_MS = 5000
let handed: { read: CardReadInput; at: number } | null = null

/** Passes a swipe heard by the frame to the page about to open (e.g. 前台), which takes it as its own swipe. */
export function handSwipeToNextPage(read: CardReadInput, at: number): void {
  handed = { read, at }
}

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

const catcher = new SwipeCatcher()
let timer: ReturnType<typeof setTimeout> | null = null

function focusOf(el: Element | null): WedgeFocus {
  if (!(el instanceof HTMLElement)) return 'none'
  const type = el instanceof HTMLInputElement ? el.type : ''
  return focusKind({ tag: el.tagName, type, editable: el.isContentEditable, swipeField: el.hasAttribute(SWIPE_FIELD_ATTR) })
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
  const due = catcher.deadline()
  if (due === null) return
  timer = setTimeout(
    () => {
      timer = null
      deliverTyped(catcher.tick(performance.now()))
      schedule()
    },
    Math.max(0, due - performance.now()),
  )
}

function onKeyDown(e: KeyboardEvent): void {
  const press = { key: e.key, at: e.timeStamp, chord: e.ctrlKey || e.altKey || e.metaKey, repeat: e.repeat }
  const step = catcher.key(press, focusOf(document.activeElement), typedFormat())
  deliverTyped(step.pass)
  if (step.hold) {
    e.preventDefault()
    e.stopImmediatePropagation()
  }
  if (step.swipe !== null) top()?.onSwipe(step.swipe, e.timeStamp)
  schedule()
}

function listening(): boolean {
  return listeners.length > 0 || fallback !== null
}

function register(l: SwipeListener, asFallback: boolean): () => void {
  const was = listening()
  if (asFallback) fallback = l
  else listeners.push(l)
  if (!was) window.addEventListener('keydown', onKeyDown, true)
  if (!asFallback && handed) {
    const h = handed
    handed = null
    if (performance.now() - h.at < HANDOVER_MS) l.onSwipe(h.read, h.at)
  }
  return () => {
    if (asFallback) {
      if (fallback === l) fallback = null
    } else {
      const i = listeners.lastIndexOf(l)
      if (i >= 0) listeners.splice(i, 1)
    }
    if (!listening()) {
      window.removeEventListener('keydown', onKeyDown, true)
      deliverTyped(catcher.tick(Number.MAX_SAFE_INTEGER))
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
  useSwipeListener(listener, active, false)
}

/**
 * Hears card swipes that no page or dialog hears (the app frame's "a swipe anywhere"): any
 * useCardSwipes listener takes them first. Digits typed with nothing text-like focused are not
 * handed back here: nothing in the app takes them.
 */
export function useFallbackCardSwipes(listener: SwipeListener, active = true): void {
  useSwipeListener(listener, active, true)
}

function useSwipeListener(listener: SwipeListener, active: boolean, asFallback: boolean): void {
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => {
    if (!active) return
    return register(
      {
        onSwipe: (read, at) => latest.current.onSwipe(read, at),
        onTyped: (text) => latest.current.onTyped?.(text),
        onRejected: (reason) => latest.current.onRejected?.(reason),
      },
      asFallback,
    )
  }, [active, asFallback])
}
