import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons'
import { Button, Dropdown, Space, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe, useSession } from '../api/session-context'
import { ChangePasswordModal } from '../features/account/change-password-modal'
import { navigate } from './use-hash-route'

/** Top-right "who am I": name and role, change own password, sign out. */
export function UserMenu() {
  const { t } = useTranslation()
  const me = useMe()
  const { signOut } = useSession()
  const [changing, setChanging] = useState(false)
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'password', icon: <KeyOutlined />, label: t('user.changePassword') },
            { type: 'divider' },
            { key: 'signOut', icon: <LogoutOutlined />, label: t('user.signOut'), danger: true },
          ],
          onClick: ({ key }) => {
            if (key === 'password') setChanging(true)
            if (key === 'signOut') {
              // the next person at this PC starts on their own start page, not on this one's last page
              const home = () => navigate('/')
              void signOut().then(home, home)
            }
          },
        }}
      >
        <Button type="text" data-testid="user-menu">
          <Space size={6}>
            <UserOutlined />
            <span>{me.name}</span>
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {t(`roles.${me.role}`)}
            </Tag>
            <DownOutlined style={{ fontSize: 10 }} />
          </Space>
        </Button>
      </Dropdown>
      <ChangePasswordModal open={changing} onClose={() => setChanging(false)} />
    </>
  )
}
