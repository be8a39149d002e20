import { Modal, type ModalProps } from 'antd'
import { useLayoutEffect } from 'react'
import { DialogKeys } from './dialog-keys'
import { holdTyping } from './type-ahead'

/**
 * The product's dialog: antd's Modal with the keyboard every dialog keeps (see DialogKeys): focus
 * on the first field when it opens (what is typed while it opens goes there too), Enter submits,
 * Esc closes the innermost layer only. A dialog's own `modalRender` (a form around content and
 * footer) goes inside. `focusFirstField={false}`: a dialog waiting for a card swipe keeps the focus
 * off its typed-number field, so a keyboard-type reader's burst is caught as a swipe page-wide.
 */
export function Dialog({ modalRender, open = false, focusFirstField = true, ...props }: ModalProps & { focusFirstField?: boolean }) {
  // from the render that opens it, before antd shows anything: keys typed now are the dialog's
  useLayoutEffect(() => (open && focusFirstField ? holdTyping() : undefined), [open, focusFirstField])
  return (
    <Modal
      {...props}
      open={open}
      modalRender={(dom) => (
        <DialogKeys open={open} autoFocus={focusFirstField}>
          {modalRender ? modalRender(dom) : dom}
        </DialogKeys>
      )}
    />
  )
}
