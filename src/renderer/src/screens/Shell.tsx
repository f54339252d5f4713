// The signed-in app: the sidebar, the current view, installation warnings and
// the "Confirm it's you" dialog that any sensitive action may need.
import { useEffect } from 'react'
import { WarningBanner } from '../components/Messages'
import { ReauthDialog } from '../components/ReauthDialog'
import { Sidebar, type NavTarget } from '../components/Sidebar'
import { useMyAccountStore } from '../stores/my-account-store'
import { useNavStore, type View } from '../stores/nav-store'
import { useReauthStore } from '../stores/reauth-store'
import { useSessionStore } from '../stores/session-store'
import { ActivateTwoFactorScreen } from './ActivateTwoFactorScreen'
import { AuditScreen } from './AuditScreen'
import { MyAccountScreen } from './MyAccountScreen'
import { SecurityScreen } from './SecurityScreen'
import { UserDetailsScreen } from './UserDetailsScreen'
import { UsersScreen } from './UsersScreen'

function navTarget(view: View): NavTarget | null {
  switch (view.name) {
    case 'users':
    case 'user-details':
      return 'users'
    case 'security':
      return 'security'
    case 'audit':
      return 'audit'
    case 'my-account':
    case 'activate-two-factor':
      return 'my-account'
  }
}

function CurrentView({ view }: { view: View }) {
  const navigate = useNavStore((s) => s.navigate)
  switch (view.name) {
    case 'users':
      return <UsersScreen initialStatus={view.status} />
    case 'user-details':
      return <UserDetailsScreen userId={view.userId} />
    case 'security':
      return <SecurityScreen />
    case 'audit':
      return <AuditScreen />
    case 'my-account':
      return <MyAccountScreen />
    case 'activate-two-factor':
      return (
        <ActivateTwoFactorScreen
          onCancel={() => navigate({ name: 'my-account' })}
          onDone={() => {
            navigate({ name: 'my-account' })
            void useMyAccountStore.getState().load()
          }}
        />
      )
  }
}

function ReauthPrompt() {
  const open = useReauthStore((s) => s.open)
  const method = useReauthStore((s) => s.method)
  const pending = useReauthStore((s) => s.pending)
  const error = useReauthStore((s) => s.error)
  if (!open) return null
  const { submit, switchMethod, cancel } = useReauthStore.getState()
  return <ReauthDialog method={method} pending={pending} error={error} onSubmit={(secret) => void submit(secret)} onSwitchMethod={switchMethod} onCancel={cancel} />
}

export function Shell() {
  const me = useSessionStore((s) => s.me)
  const logout = useSessionStore((s) => s.logout)
  const warnings = useSessionStore((s) => s.warnings)
  const view = useNavStore((s) => s.view)
  const navigate = useNavStore((s) => s.navigate)
  useEffect(() => {
    void useSessionStore.getState().refreshWarnings()
  }, [me?.id])
  if (!me) return null
  return (
    <div className="shell">
      <Sidebar me={me} current={navTarget(view)} onNavigate={(name) => navigate({ name })} onLogout={() => void logout()} />
      <main className="content" id="content">
        <WarningBanner warnings={warnings} />
        {/* A new key per view remounts it, so each screen loads fresh data when opened. */}
        <CurrentView key={JSON.stringify(view)} view={view} />
      </main>
      <ReauthPrompt />
    </div>
  )
}
