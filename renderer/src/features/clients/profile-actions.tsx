import { CalendarOutlined, EditOutlined, PhoneOutlined } from '@ant-design/icons'
import { App, Button, Dropdown, Space } from 'antd'
import { useEffect, useRef, useState, type MutableRefObject, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ClientPhone, ClientProfile } from '@shared/contract/clients'
import { mayCall } from '@shared/domain/permissions'
import { useMe } from '../../api/session-context'
import { FollowUpModal } from '../work/follow-up-modal'
import { ViewingBookModal } from '../work/viewing-book-modal'

type Phone = z.infer<typeof ClientPhone>
type Action = 'log' | 'book' | 'call'

/**
 * The profile's keys: Alt with a letter (by `code`, so a Mac's Option letters work too). Letters
 * browsers keep for themselves (Alt+F/E/D in Chrome) are avoided, so the same keys work in a
 * browser on the LAN as in the desktop app.
 */
export const PROFILE_KEYS: Record<Action, { code: string; label: string }> = {
  log: { code: 'KeyL', label: 'Alt+L' },
  book: { code: 'KeyV', label: 'Alt+V' },
  call: { code: 'KeyC', label: 'Alt+C' },
}

/** Whether a dialog or drawer is open over the page (then its keys are its own). */
function aLayerIsOpen(): boolean {
  const layers = document.querySelectorAll<HTMLElement>('.ant-modal-wrap, .ant-drawer-open')
  return Array.from(layers).some((el) => getComputedStyle(el).display !== 'none')
}

/**
 * 记录跟进, 预约带看 and 拨号 in the profile's header, whichever tab is open and however far the
 * page is scrolled; Alt+L / Alt+V / Alt+C press them. 拨号 copies the number to dial (and shows
 * it): a masked number is first revealed (an audited step) by whoever may, never copied masked.
 */
export function ProfileMainActions({
  client,
  phones,
  canLog,
  onReveal,
  onLogged,
}: {
  client: ClientProfile
  /** the phones as shown (revealed ones unmasked). */
  phones: Phone[]
  /** whether the viewer logs contacts and books viewings for this client (owner, team, manager, collaborator). */
  canLog: boolean
  /** opens the reveal dialog; absent when the viewer may not reveal. */
  onReveal?: () => void
  /** a follow-up or a viewing was saved here: the profile and its log read again. */
  onLogged(): void
}) {
  const { t } = useTranslation()
  const me = useMe()
  const { message } = App.useApp()
  const [dialog, setDialog] = useState<'log' | 'book' | null>(null)
  const lost = client.stage === 'lost'
  const mayLog = canLog && mayCall(me.role, 'followups.create')
  const mayBook = canLog && mayCall(me.role, 'viewings.book')
  const masked = phones.some((p) => p.masked)
  // shown only to who sees the client in full (the owner's numbers are theirs to dial)
  const mayDial = client.access === 'full' && phones.length > 0

  async function dial(p: Phone) {
    try {
      await navigator.clipboard.writeText(p.display)
      void message.success(t('clients.profile.actions.copied', { number: p.display }))
    } catch {
      // no clipboard (a page not served over TLS, or refused): the number is shown to dial by hand
      void message.info(t('clients.profile.actions.dialByHand', { number: p.display }))
    }
  }

  const several = phones.length > 1 && !masked
  const call = () => {
    if (masked) onReveal?.()
    else if (phones.length === 1 && phones[0]) void dial(phones[0])
  }

  const callDisabled = !mayDial || (masked && !onReveal)
  // several numbers: 拨号 opens the list to pick one (CallMenu sets this)
  const openCallMenu = useRef<(() => void) | null>(null)
  // what a key presses: the same as a click on its button, and nothing when the button is off
  const press = useRef<(action: Action) => void>(() => undefined)
  press.current = (action) => {
    if (action === 'log' && mayLog && !lost) setDialog('log')
    else if (action === 'book' && mayBook && !lost) setDialog('book')
    else if (action === 'call' && !callDisabled) {
      if (openCallMenu.current) openCallMenu.current()
      else call()
    }
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.repeat) return
      const action = (Object.keys(PROFILE_KEYS) as Action[]).find((a) => PROFILE_KEYS[a].code === e.code)
      if (!action || aLayerIsOpen()) return
      e.preventDefault()
      press.current(action)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const titled = (action: Action, text: string) => t('clients.profile.actions.withKey', { text, key: PROFILE_KEYS[action].label })
  const callTitle = !mayDial
    ? phones.length === 0 && client.access === 'full'
      ? t('clients.profile.actions.noPhone')
      : t('clients.profile.actions.callHidden')
    : masked
      ? onReveal
        ? t('clients.profile.actions.callReveal')
        : t('clients.profile.actions.callHidden')
      : t('clients.profile.actions.callCopy')
  const callButton = (
    <Button
      icon={<PhoneOutlined />}
      disabled={callDisabled}
      onClick={several ? undefined : call}
      title={titled('call', callTitle)}
      aria-keyshortcuts={PROFILE_KEYS.call.label}
      data-testid="profile-call"
    >
      {t('clients.profile.actions.call')}
    </Button>
  )

  return (
    <>
      <Space wrap>
        {mayLog && (
          <Button
            type="primary"
            icon={<EditOutlined />}
            disabled={lost}
            onClick={() => setDialog('log')}
            title={titled('log', lost ? t('clients.profile.actions.lost') : t('clients.profile.actions.logHint'))}
            aria-keyshortcuts={PROFILE_KEYS.log.label}
          >
            {t('work.log.record')}
          </Button>
        )}
        {mayBook && (
          <Button
            icon={<CalendarOutlined />}
            disabled={lost}
            onClick={() => setDialog('book')}
            title={titled('book', lost ? t('clients.profile.actions.lost') : t('clients.profile.actions.bookHint'))}
            aria-keyshortcuts={PROFILE_KEYS.book.label}
          >
            {t('work.viewing.book')}
          </Button>
        )}
        {client.access === 'full' &&
          (several ? (
            <CallMenu phones={phones} onDial={(p) => void dial(p)} openRef={openCallMenu}>
              {callButton}
            </CallMenu>
          ) : (
            callButton
          ))}
      </Space>
      {dialog === 'log' && <FollowUpModal target={{ clientId: client.id, clientName: client.name }} onClose={() => setDialog(null)} onSaved={onLogged} />}
      {dialog === 'book' && <ViewingBookModal clientId={client.id} clientName={client.name} onClose={() => setDialog(null)} onBooked={onLogged} />}
    </>
  )
}

/** A client with several numbers: 拨号 lists them (with their labels), a click copies one. */
function CallMenu({ phones, onDial, openRef, children }: { phones: Phone[]; onDial(p: Phone): void; openRef: MutableRefObject<(() => void) | null>; children: ReactNode }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  useEffect(() => {
    openRef.current = () => setOpen(true)
    return () => {
      openRef.current = null
    }
  }, [openRef])
  return (
    <Dropdown
      open={open}
      onOpenChange={setOpen}
      trigger={['click']}
      menu={{
        items: phones.map((p) => ({ key: String(p.id), label: p.label ? `${p.display} ${t('common.aside', { text: p.label })}` : p.display })),
        onClick: ({ key }) => {
          setOpen(false)
          const p = phones.find((x) => String(x.id) === key)
          if (p) onDial(p)
        },
      }}
      autoFocus
    >
      {children}
    </Dropdown>
  )
}
