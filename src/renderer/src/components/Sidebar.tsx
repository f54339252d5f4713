// The left navigation. Which entries show comes from the signed-in user's role;
// the app still refuses admin calls from anyone else.
import type { Me } from '../../../shared/domain'
import { ROLE_LABEL } from '../lib/format'
import { ShieldImage } from './StatusShield'
import './Sidebar.css'

export type NavTarget = 'users' | 'security' | 'groups' | 'directory-sync' | 'radius-clients' | 'audit' | 'my-account'

interface SidebarProps {
  me: Me
  current: NavTarget | null
  onNavigate: (target: NavTarget) => void
  onLogout: () => void
}

function NavItem({ target, label, current, onNavigate }: { target: NavTarget; label: string; current: NavTarget | null; onNavigate: (target: NavTarget) => void }) {
  return (
    <li>
      <button type="button" className="nav-item" aria-current={current === target ? 'page' : undefined} onClick={() => onNavigate(target)}>
        {label}
      </button>
    </li>
  )
}

export function Sidebar({ me, current, onNavigate, onLogout }: SidebarProps) {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <ShieldImage status="active" size={24} />
        <span>2FA Admin</span>
      </div>
      {me.role === 'admin' ? (
        <>
          <div className="nav-group">
            <h2 className="nav-heading" id="nav-account">
              Account
            </h2>
            <ul aria-labelledby="nav-account">
              <NavItem target="users" label="Users" current={current} onNavigate={onNavigate} />
              <NavItem target="security" label="Security" current={current} onNavigate={onNavigate} />
              <NavItem target="groups" label="Groups" current={current} onNavigate={onNavigate} />
              <NavItem target="directory-sync" label="Directory sync" current={current} onNavigate={onNavigate} />
              <NavItem target="radius-clients" label="RADIUS clients" current={current} onNavigate={onNavigate} />
            </ul>
          </div>
          <ul className="nav-group">
            <NavItem target="audit" label="Audit log" current={current} onNavigate={onNavigate} />
          </ul>
        </>
      ) : null}
      <ul className="nav-group">
        <NavItem target="my-account" label="My account" current={current} onNavigate={onNavigate} />
      </ul>
      <div className="sidebar-footer">
        <div className="whoami">
          <span className="whoami-name">{me.name}</span>
          <span className="whoami-email">{me.email}</span>
          <span className="whoami-role">{ROLE_LABEL[me.role]}</span>
        </div>
        <button type="button" className="button button-block" onClick={onLogout}>
          Log out
        </button>
      </div>
    </nav>
  )
}
