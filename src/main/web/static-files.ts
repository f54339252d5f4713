// Maps a request path to a file of the built renderer, for the Electron app://
// protocol and the browser preview. Anything that could leave the renderer
// folder (.., encoded slashes, symlinks, dotfiles) resolves to nothing.
import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf'
}

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream'
}

export interface StaticFile {
  path: string
  contentType: string
  isIndexHtml: boolean
}

/** The relative path a URL pathname names inside the renderer folder, or null if it may not be served. */
export function staticRelativePath(pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  if (decoded === '' || decoded === '/') return 'index.html'
  if (!decoded.startsWith('/')) return null
  const segments = decoded.slice(1).split('/')
  // Empty segments (//), '.' and '..' and dotfiles are never part of a built renderer.
  if (segments.some((segment) => segment === '' || segment.startsWith('.'))) return null
  return segments.join('/')
}

/** Resolves a URL pathname to an existing regular file inside rootDir, or null. */
export async function resolveStaticFile(rootDir: string, pathname: string): Promise<StaticFile | null> {
  const relativePath = staticRelativePath(pathname)
  if (relativePath === null) return null
  const root = resolve(rootDir)
  const candidate = resolve(root, relativePath)
  if (!isInside(root, candidate)) return null
  try {
    // A symlink inside the folder must not lead out of it.
    const [realRoot, realCandidate] = await Promise.all([realpath(root), realpath(candidate)])
    if (!isInside(realRoot, realCandidate)) return null
    const info = await stat(realCandidate)
    if (!info.isFile()) return null
    return { path: realCandidate, contentType: contentTypeFor(realCandidate), isIndexHtml: relativePath === 'index.html' }
  } catch {
    return null
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate)
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel)
}
