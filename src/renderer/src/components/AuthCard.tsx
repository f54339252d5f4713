// The centred card around the screens before sign-in.
import type { ReactNode } from 'react'
import { ShieldImage } from './StatusShield'
import './AuthCard.css'

export function AuthCard({ title, subtitle, children, wide = false }: { title: string; subtitle?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <main className="auth-page">
      <div className={`auth-card${wide ? ' auth-card-wide' : ''}`}>
        <div className="auth-brand">
          <ShieldImage status="active" size={28} />
          <span>2FA Admin</span>
        </div>
        <h1>{title}</h1>
        {subtitle ? <p className="auth-subtitle">{subtitle}</p> : null}
        {children}
      </div>
    </main>
  )
}
