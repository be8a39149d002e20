/**
 * Text typed while a dialog opens, held for its first field (issue #16 item 14). A dialog's
 * frame and fields appear a few renders after the key that opened it (F4 at the desk), and
 * characters typed meanwhile went into the field behind it (the desk's search, which then opened
 * another client). From the moment a dialog is told to open until its first field has the focus,
 * typed characters are kept off the page and then typed into that field.
 */
let held: string[] | null = null

function onKeyDown(e: KeyboardEvent): void {
  // a character key (not a shortcut, not Enter or Esc, not an IME's composing key)
  if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return
  e.preventDefault()
  e.stopPropagation()
  held?.push(e.key)
}

function onBeforeInput(e: InputEvent): void {
  // text inserted without a key (an IME's committed 汉字, a paste of typed text)
  if (e.inputType !== 'insertText' || !e.data) return
  e.preventDefault()
  held?.push(e.data)
}

function stop(): void {
  window.removeEventListener('keydown', onKeyDown, true)
  window.removeEventListener('beforeinput', onBeforeInput, true)
  window.removeEventListener('pointerdown', stop, true)
  held = null
}

/** Starts holding typed text for a dialog that is opening; the returned function drops what is held. */
export function holdTyping(): () => void {
  stop()
  held = []
  window.addEventListener('keydown', onKeyDown, true)
  window.addEventListener('beforeinput', onBeforeInput, true)
  // a click chooses where the focus goes: nothing typed is held past it
  window.addEventListener('pointerdown', stop, true)
  return stop
}

/** The dialog's first field has the focus: types what was held into it (a text field) and stops holding. */
export function releaseTyping(): void {
  const text = held?.join('') ?? ''
  stop()
  const el = document.activeElement
  const takesText = el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'file'].includes(el.type))
  // insertText goes through the browser's editing, so React sees an ordinary input event
  if (text && takesText) document.execCommand('insertText', false, text)
}
