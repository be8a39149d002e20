import { UserOutlined } from '@ant-design/icons'
import { Button, Drawer } from 'antd'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useMe } from '../../api/session-context'
import { DialogKeys } from '../../app/dialog-keys'
import { navigate } from '../../app/use-hash-route'
import { ClientFollowUpsTab } from './client-follow-ups-tab'

/** A client's follow-up log and viewings beside the Today list, without leaving it. */
export function ClientLogDrawer({ clientId, title, onClose, onChanged }: { clientId: number; title: string; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation()
  const me = useMe()
  return (
    <Drawer
      open
      width={880}
      title={title}
      onClose={onClose}
      extra={
        <Button icon={<UserOutlined />} onClick={() => navigate(`/clients/${clientId}`)}>
          {t('work.common.openProfile')}
        </Button>
      }
    >
      <DialogKeys open autoFocus={false}>
        <ClientFollowUpsTab clientId={clientId} canEdit={mayCall(me.role, 'followups.create')} onChanged={onChanged} />
      </DialogKeys>
    </Drawer>
  )
}
