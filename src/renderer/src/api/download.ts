// How the browser preview hands a finished export over: the page follows a
// link to it (GET /downloads/<id>, with the session cookie); the preview answers
// with the file as an attachment, which the browser saves like any download.
// The desktop app saves exports itself (its save dialog): it never needs this.

/** Starts the browser's download of `url` (the file name comes from the answer). */
export function startDownload(doc: Document, url: string): void {
  const link = doc.createElement('a')
  link.href = url
  link.download = ''
  link.rel = 'noopener'
  link.hidden = true
  doc.body.append(link)
  link.click()
  link.remove()
}
