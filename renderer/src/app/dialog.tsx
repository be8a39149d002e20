import { Modal, type ModalProps } from 'antd'
import { useLayoutEffect } from 'react'
import { DialogKeys } from './dialog-keys'
import { holdTyping } from './type-ahead'

/**
 * The product's dialog: antd's Modal with the keyboard every dialog keeps (see DialogKeys): focus
 * on the first field when it opens (what is typed while it opens goes there too), Enter submits,
 * Esc closes the innermost layer only. A dialog's own `modalRender` (a form around content and
 * footer) goes inside.
 */
export function Dialog({ modalRender, open = false, ...props }: ModalProps) {
  // from the render that opens it, before antd shows anything: keys typed now are the dialog's
  useLayoutEffect(() => (open ? holdTyping() : undefined), [open])
  return <Modal {...props} open={open} modalRender={(dom) => <DialogKeys open={open}>{modalRender ? modalRender(dom) : dom}</DialogKeys>} />
}
