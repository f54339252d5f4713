// The base styles first: every component's own stylesheet builds on them.
import './styles/base.css'
import './styles/controls.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { startDownload } from './api/download'
import { installHttpApi } from './api/http-api'
import { App } from './App'
import { createAppStore } from './store/app-store'
import { syncRoute } from './store/route-sync'
import { AppStoreProvider } from './store/context'

// In Electron the preload has set window.api. In the browser preview there is
// no preload: the same contract is reached over the preview's HTTP bridge.
// There, a finished export arrives as a download; the desktop app saves it where its dialog says.
const preview = window.api === undefined
if (preview) installHttpApi(window)

// The one place the screens' state meets the app: every store action calls window.api through it.
const store = createAppStore(window.api, preview ? { download: (url) => startDownload(document, url) } : {})
// Every place in the app has an address (the URL's fragment): Back, Forward and a reload keep it.
// After installHttpApi, which has taken the preview's token out of the fragment.
syncRoute(store, window)

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>
    </StrictMode>
  )
}
