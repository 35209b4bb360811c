import { QueryClient } from '@tanstack/react-query'
import { createRouter } from '@tanstack/react-router'
import { routeTree } from './generated/routeTree.gen.ts'
import type { Network } from './lib/network.ts'

export function createAppRouter(network: Network) {
  const queryClient = new QueryClient({
    // Live data arrives by subscription; a refetch on focus would only repeat it.
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
  })
  return createRouter({
    routeTree,
    context: { queryClient, network },
    defaultPreload: 'intent',
    scrollRestoration: true,
  })
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
