// GET /downloads/<id>: a finished export, to the browser tab whose session made
// it, once. The page follows a link (no token header can ride along), so the
// session cookie says who asks and the core's getExport decides: an
// administrator's live session, the session that made this export, and done.
// The file is deleted once sent (export-downloads.ts).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { DOWNLOAD_PATH_PREFIX } from '../shared/transport'
import { EXPORT_ID_PATTERN } from '../shared/schemas/export'
import { sessionCaller, type SessionHolder } from '../main/core/caller'
import type { Dispatch } from '../main/core/dispatch'
import type { ExportDownloads } from './export-downloads'

export interface DownloadRouteDeps {
  downloads?: Pick<ExportDownloads, 'ready' | 'take' | 'discard'>
  dispatch: Dispatch
  /** The Host check of the bridge (DNS rebinding). */
  hostAllowed(host: string | undefined): boolean
  /** The session holder of the browser that asks, from its cookie; null without one of ours. */
  holderOf(req: IncomingMessage): SessionHolder | null
  baseHeaders: Readonly<Record<string, string>>
  sendPlain(res: ServerResponse, status: number, text: string, extraHeaders?: Record<string, string>): void
}

/** The file name for Content-Disposition: plain ASCII in `filename`, the exact name in `filename*` (RFC 6266). */
function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

export async function serveDownload(req: IncomingMessage, res: ServerResponse, pathname: string, deps: DownloadRouteDeps): Promise<void> {
  if (req.method !== 'GET') return deps.sendPlain(res, 405, 'Method not allowed.', { Allow: 'GET' })
  // A link from another site is refused outright (browsers say where a request comes from).
  const site = req.headers['sec-fetch-site']
  if (!deps.hostAllowed(req.headers.host) || (site !== undefined && site !== 'same-origin')) return deps.sendPlain(res, 403, 'Forbidden.')
  const holder = deps.holderOf(req)
  if (holder === null) return deps.sendPlain(res, 403, 'Sign in to the preview first.')
  const exportId = pathname.slice(DOWNLOAD_PATH_PREFIX.length)
  const gone = (): void => deps.sendPlain(res, 404, 'This export is not waiting for a download (any more). Export again.')
  const downloads = deps.downloads
  if (downloads === undefined || !EXPORT_ID_PATTERN.test(exportId) || downloads.ready(exportId) === null) return gone()
  const job = await deps.dispatch('getExport', sessionCaller(holder), { exportId })
  if (!job.ok) return deps.sendPlain(res, job.error.code === 'NOT_FOUND' ? 404 : 403, job.error.message)
  const file = job.value.state === 'done' ? downloads.take(exportId) : null
  if (file === null) return gone()
  try {
    const { size } = await stat(file.path)
    res.writeHead(200, { ...deps.baseHeaders, 'Content-Type': file.contentType, 'Content-Length': size, 'Content-Disposition': attachment(file.fileName) })
    await pipeline(createReadStream(file.path), res)
  } finally {
    downloads.discard(file)
  }
}
