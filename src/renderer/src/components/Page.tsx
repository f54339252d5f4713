// The frame of every screen inside the shell: a column of sections under a
// header with the breadcrumbs, the title and the screen's own buttons.
import type { ReactNode } from 'react'
import './Page.css'

export function Page({ className, children }: { className?: string; children: ReactNode }) {
  return <div className={className ? `page ${className}` : 'page'}>{children}</div>
}

interface PageHeaderProps {
  title: ReactNode
  breadcrumbs?: string
  subtitle?: ReactNode
  /** Buttons on the right. */
  actions?: ReactNode
  className?: string
}

export function PageHeader({ title, breadcrumbs, subtitle, actions, className }: PageHeaderProps) {
  return (
    <header className="page-header">
      <div className={className}>
        {breadcrumbs ? <p className="breadcrumbs">{breadcrumbs}</p> : null}
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {actions}
    </header>
  )
}
