// The signed-in app: the sidebar, the current view, installation warnings and
// the "Confirm it's you" dialog that any sensitive action may need.
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { WarningBanner } from '../components/Messages'
import { ReauthDialog } from '../components/ReauthDialog'
import { RecoveryCodeNotice } from '../components/RecoveryCodeNotice'
import { Sidebar, type NavTarget } from '../components/Sidebar'
import { keepFocus, type FocusKeeper } from '../lib/focus'
import { installShortcuts } from '../lib/shortcuts'
import { useAppStore } from '../store/context'
import type { View } from '../store/slices/nav'
import { ActivateTwoFactorScreen } from './ActivateTwoFactorScreen'
import { AuditScreen } from './AuditScreen'
import { DirectorySyncScreen } from './DirectorySyncScreen'
import { GroupDetailsScreen } from './GroupDetailsScreen'
import { GroupsScreen } from './GroupsScreen'
import { MyAccountScreen } from './MyAccountScreen'
import { RadiusClientsScreen } from './RadiusClientsScreen'
import { SecurityScreen } from './SecurityScreen'
import { UserDetailsScreen } from './UserDetailsScreen'
import { UsersScreen } from './UsersScreen'
import './Shell.css'

function navTarget(view: View): NavTarget | null {
  switch (view.name) {
    case 'users':
    case 'user-details':
      return 'users'
    case 'security':
      return 'security'
    case 'directory-sync':
      return 'directory-sync'
    case 'radius-clients':
      return 'radius-clients'
    case 'groups':
    case 'group-details':
      return 'groups'
    case 'audit':
      return 'audit'
    case 'my-account':
    case 'activate-two-factor':
      return 'my-account'
  }
}

function CurrentView({ view }: { view: View }) {
  const { navigate } = useAppStore((s) => s.nav.actions)
  switch (view.name) {
    case 'users':
      // The list's filter is the users slice's (and the address's): "Show these users" sets it there (slices/nav.ts).
      return <UsersScreen />
    case 'user-details':
      return <UserDetailsScreen userId={view.userId} />
    case 'security':
      return <SecurityScreen />
    case 'directory-sync':
      return <DirectorySyncScreen />
    case 'radius-clients':
      return <RadiusClientsScreen />
    case 'groups':
      return <GroupsScreen />
    case 'group-details':
      return <GroupDetailsScreen groupId={view.groupId} />
    case 'audit':
      return <AuditScreen />
    case 'my-account':
      return <MyAccountScreen />
    case 'activate-two-factor':
      // My account loads afresh when it opens, so it shows 2FA as active.
      return <ActivateTwoFactorScreen onCancel={() => navigate({ name: 'my-account' })} onDone={() => navigate({ name: 'my-account' })} />
  }
}

/** While the shell shows, the current screen follows changes made elsewhere (store/slices/changes.ts); not while the window is hidden. */
function useFollowChanges(): void {
  const { start, stop, setVisible } = useAppStore((s) => s.changes.actions)
  // A layout effect runs before the screen's own loading effect: the first stamp is asked for
  // before the screen's data, so a change between the two is not missed.
  useLayoutEffect(() => {
    const shown = () => document.visibilityState !== 'hidden'
    start(shown())
    const onVisibility = () => setVisible(shown())
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      document.removeEventListener('visibilitychange', onVisibility)
      stop()
    }
  }, [start, stop, setVisible])
}

/** Where focus goes once a screen opens in place of the one that held it: the row one came back to, else the screen's heading. */
function focusTargetFor(view: View, from: View | null, content: HTMLElement): () => HTMLElement | null {
  if (view.name === 'users' && from?.name === 'user-details') {
    return () => {
      const row = content.querySelector<HTMLElement>(`tr[data-user-id="${from.userId}"] .col-name button`)
      if (row) return row
      // Not among the rows in view (filtered out, far down the list): the search, once the list shows.
      const listed = content.querySelector('.users-table tbody tr[data-user-id]') ?? content.querySelector('.users-table .empty-cell .empty-state')
      return listed ? content.querySelector<HTMLElement>('input[type="search"]') : null
    }
  }
  return () => content.querySelector<HTMLElement>('h1')
}

/** Focus never falls to the page: a new screen takes it where focus was lost, and so does anything that goes while focused. */
function useShellFocus(content: RefObject<HTMLElement | null>, view: View): void {
  const keeper = useRef<FocusKeeper | null>(null)
  const previous = useRef<View | null>(null)
  useLayoutEffect(() => {
    if (!content.current) return
    const current = keepFocus(content.current)
    keeper.current = current
    return () => {
      current.stop()
      keeper.current = null
    }
  }, [content])
  const viewKey = JSON.stringify(view)
  useLayoutEffect(() => {
    const from = previous.current
    previous.current = view
    // The first screen after signing in leaves focus where the browser put it; later ones take it when it was lost with the screen before.
    if (from === null || !content.current || !keeper.current) return
    keeper.current.expect(focusTargetFor(view, from, content.current))
    // The view's key says when it changed (a new object with the same key is the same screen).
  }, [viewKey, content])
}

/** After a sign-in with a recovery code, over every screen until dismissed or acted on. */
function RecoveryCodesLeft() {
  const notice = useAppStore((s) => s.session.recoveryCodeNotice)
  const { dismissRecoveryCodeNotice } = useAppStore((s) => s.session.actions)
  const { requestRegenerate } = useAppStore((s) => s.myAccount.actions)
  if (notice === null) return null
  return (
    <RecoveryCodeNotice
      codesLeft={notice.codesLeft}
      onDismiss={dismissRecoveryCodeNotice}
      onGenerate={() => {
        dismissRecoveryCodeNotice()
        requestRegenerate()
      }}
    />
  )
}

function ReauthPrompt() {
  const { open, method, pending, error } = useAppStore(
    useShallow((s) => ({ open: s.reauth.open, method: s.reauth.method, pending: s.reauth.pending, error: s.reauth.error }))
  )
  const { submit, switchMethod, cancel } = useAppStore((s) => s.reauth.actions)
  if (!open) return null
  return <ReauthDialog method={method} pending={pending} error={error} onSubmit={(secret) => void submit(secret)} onSwitchMethod={switchMethod} onCancel={cancel} />
}

export function Shell() {
  const me = useAppStore((s) => s.session.me)
  const warnings = useAppStore((s) => s.session.warnings)
  const view = useAppStore((s) => s.nav.view)
  const { logout, refreshWarnings } = useAppStore((s) => s.session.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const meId = me?.id
  const content = useRef<HTMLElement>(null)
  useFollowChanges()
  useShellFocus(content, view)
  useEffect(() => installShortcuts(window, () => content.current), [])
  useEffect(() => {
    void refreshWarnings()
  }, [refreshWarnings, meId])
  if (!me) return null
  return (
    <div className="shell">
      <Sidebar me={me} current={navTarget(view)} onNavigate={(name) => navigate({ name })} onLogout={() => void logout()} />
      <main className="content" id="content" ref={content} tabIndex={-1}>
        <WarningBanner warnings={warnings} />
        <RecoveryCodesLeft />
        {/* A new key per view remounts it, so each screen loads fresh data when opened. */}
        <CurrentView key={JSON.stringify(view)} view={view} />
      </main>
      <ReauthPrompt />
    </div>
  )
}
