// Globals of the renderer page.
import type { AdminApi } from '../../shared/contract'

declare global {
  interface Window {
    /** Set by the preload in Electron, or by the HTTP bridge in the browser preview. */
    api: AdminApi
  }
}

export {}
