// The end of an email's local part, as an index can find it: the local part
// (before the one @ the address rule allows: emailSchema, for the forms, the CSV
// import and the directory sync alike), lowered as SQLite's lower() does
// (ASCII) and reversed by code point. A term L@R matches an email whose local
// part ends with L (and whose domain starts with R): the users whose reversed
// local part starts with L reversed, one range of users_by_local_end
// (migration 16). The repositories write it with every email.

/** The column's value for an email. */
export function localEnd(email: string): string {
  const at = email.indexOf('@')
  return reversed(asciiLower(at < 0 ? email : email.slice(0, at)))
}

/** The range's start for the local part of a term (already lowered). */
export function localEndOfTerm(localPart: string): string {
  return reversed(localPart)
}

function reversed(text: string): string {
  return [...text].reverse().join('')
}

/** Text lowered as SQLite's lower() lowers it: ASCII letters only (the search compares with lower() in SQL). */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase())
}
