import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { loadManifest } from './lib/manifest.ts'
import { createNetwork } from './lib/network.ts'
import { createAppRouter } from './router.tsx'
import './style.css'

const root = createRoot(document.getElementById('root')!)
try {
  const router = createAppRouter(createNetwork(await loadManifest()))
  root.render(
    <StrictMode>
      <QueryClientProvider client={router.options.context.queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  )
} catch (error) {
  root.render(
    <main className="app">
      <h1>Seed</h1>
      <p className="error" role="alert">
        Could not read the network: {error instanceof Error ? error.message : String(error)}
      </p>
    </main>,
  )
}
