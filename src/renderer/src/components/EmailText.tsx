// An email that may wrap (the narrow Users table, issue 13): the browser may
// break it before "@" and after each ".", as <wbr> allows, and, only when a
// part is still too long, anywhere (overflow-wrap: anywhere in the stylesheet).
import { Fragment } from 'react'

/** "amelia.marquardt@lab.example.org" -> ["amelia.", "marquardt", "@lab.", "example.", "org"]. */
export function emailParts(email: string): string[] {
  return email.split(/(?<=\.)|(?=@)/).filter((part) => part !== '')
}

export function EmailText({ email, className }: { email: string; className?: string }) {
  return (
    <span className={className}>
      {emailParts(email).map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </span>
  )
}
