import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { releaseTyping } from './type-ahead'

// what takes typing in a dialog; buttons are not fields (Enter on one presses it)
const FIELDS = 'input:not([type=hidden]):not([type=file]):not([disabled]), textarea:not([disabled]), select:not([disabled])'
// where Enter already means something else: pressing the focused control
const PRESSABLE = 'button, a[href], [role="button"], [role="switch"], [role="tab"], [role="menuitem"], [role="checkbox"]'
// popups a field opens (portalled to the body): keys typed in them belong to them
const POPUPS = '.ant-select-dropdown, .ant-picker-dropdown, .ant-dropdown, .ant-cascader-dropdown, .ant-popover, .ant-color-picker'
// an open date picker's panel (its input carries no aria-expanded); one leaving is already closed
const OPEN_PICKER = '.ant-picker-dropdown:not(.ant-picker-dropdown-hidden):not([class*="-leave"])'
// the dialog's own submit: the footer's primary button, or a button the dialog marks so
const SUBMIT = '.ant-modal-footer .ant-btn-primary, [data-dialog-submit]'
// the box one dialog or drawer draws (a nested one is a box of its own)
const BOX = '.ant-modal, .ant-drawer-content-wrapper'

const shown = (el: Element) => el.getClientRects().length > 0

/** Whether the key went to a layer open inside the dialog (a select's list, a date picker's panel), which should have it first. */
function layerOpen(target: HTMLElement): boolean {
  if (target.closest(POPUPS)) return true
  if (target.getAttribute('aria-expanded') === 'true') return true
  return target.closest('.ant-picker') !== null && document.querySelector(OPEN_PICKER) !== null
}

/** Whether text is being typed into a select's search (a tag being added): Enter there takes it. */
function typingInSelect(target: HTMLElement): boolean {
  return target instanceof HTMLInputElement && target.closest('.ant-select') !== null && target.value !== ''
}

/**
 * Focuses the dialog's field marked `data-autofocus`, else its first field, else its submit button,
 * unless the focus is in it already; says whether the focus is in it now.
 */
function focusFirstField(root: HTMLElement): boolean {
  if (root.contains(document.activeElement)) return true
  if (!shown(root)) return false
  const fields = [...root.querySelectorAll<HTMLElement>(FIELDS)].filter(shown)
  const marked = fields.find((f) => f.closest('[data-autofocus]'))
  const target = marked ?? fields[0] ?? [...root.querySelectorAll<HTMLButtonElement>(SUBMIT)].find((b) => shown(b) && !b.disabled)
  target?.focus({ preventScroll: true })
  return root.contains(document.activeElement)
}

/**
 * Moves the focus into the dialog as soon as it can: antd shows a dialog's frame one render after
 * its content mounts, and a dialog may load its fields later. A mutation observer tries again on
 * each change; what is typed meanwhile is held (type-ahead.ts) and typed into the field once it has
 * the focus. It stops once the focus is in, or when the user clicks (they chose where the focus goes).
 */
function focusWhenReady(root: HTMLElement): () => void {
  if (focusFirstField(root)) {
    releaseTyping()
    return () => {}
  }
  const watch = new MutationObserver(() => {
    if (!focusFirstField(root)) return
    stop()
    releaseTyping()
  })
  const stop = () => {
    watch.disconnect()
    document.removeEventListener('pointerdown', stop, true)
  }
  watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'disabled'] })
  document.addEventListener('pointerdown', stop, true)
  return stop
}

interface Props {
  /** whether the dialog is open: the focus moves in each time it opens */
  open: boolean
  /** move the focus to the first field on opening (a drawer of facts and buttons says no) */
  autoFocus?: boolean
  children: ReactNode
}

/**
 * The keyboard every dialog of the product keeps (issue #16 item 14), around its content: the
 * first field has the focus as soon as the dialog shows (a field marked `data-autofocus` instead);
 * Enter submits (the footer's primary button or one marked `data-dialog-submit`) unless the focus
 * is in a textarea (Ctrl+Enter submits there), on a button, or in an open list or picker; Esc
 * closes the innermost layer only: an open list or date picker closes and the dialog stays, with
 * what was typed.
 */
export function DialogKeys({ open, autoFocus = true, children }: Props) {
  const ref = useRef<HTMLDivElement>(null)
  // whether the key now on its way went to an open layer, as it was before any handler ran
  const toLayer = useRef(false)

  useEffect(() => {
    const root = ref.current
    if (!open || !autoFocus || !root) return
    return focusWhenReady(root)
  }, [open, autoFocus])

  /** Whether this dialog is the innermost one the key was typed in (a nested dialog handles its own). */
  const mine = (target: HTMLElement) => {
    const box = target.closest(BOX)
    return box === null || box.contains(ref.current)
  }

  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement
    if (!mine(target)) return
    toLayer.current = layerOpen(target)
    // Esc in a searching select: the select closes its list; Chromium's own Esc in a search input
    // would then clear the text, and that "typing" opens the list again (rc-select)
    if (e.key === 'Escape' && toLayer.current && target.closest('.ant-select')) e.preventDefault()
    if (e.key !== 'Enter' || toLayer.current || e.altKey || e.shiftKey) return
    // Enter ending an IME composition (拼音 → 汉字) picks the characters
    if (e.nativeEvent.isComposing || e.keyCode === 229) return
    if (target.tagName === 'TEXTAREA' && !(e.ctrlKey || e.metaKey)) return
    if (target.closest(PRESSABLE) || typingInSelect(target)) return
    const submit = [...(ref.current?.querySelectorAll<HTMLButtonElement>(SUBMIT) ?? [])].find(shown)
    if (!submit) return
    // one way only: no browser form submission beside the click, no select opening on Enter
    e.preventDefault()
    e.stopPropagation()
    if (!submit.disabled && !submit.classList.contains('ant-btn-loading')) submit.click()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // the open list or picker took this Esc: the dialog (an ancestor handler) must not close too
    if (e.key === 'Escape' && toLayer.current && mine(e.target as HTMLElement)) e.stopPropagation()
  }

  return (
    <div ref={ref} className="dialog-keys" onKeyDownCapture={onKeyDownCapture} onKeyDown={onKeyDown}>
      {children}
    </div>
  )
}
