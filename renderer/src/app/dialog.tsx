import { Modal, type ModalProps } from 'antd'
import { DialogKeys } from './dialog-keys'

/**
 * The product's dialog: antd's Modal with the keyboard every dialog keeps (see DialogKeys): focus
 * on the first field when it opens, Enter submits, Esc closes the innermost layer only. A dialog's
 * own `modalRender` (a form around content and footer) goes inside.
 */
export function Dialog({ modalRender, open = false, ...props }: ModalProps) {
  return <Modal {...props} open={open} modalRender={(dom) => <DialogKeys open={open}>{modalRender ? modalRender(dom) : dom}</DialogKeys>} />
}
