import type { QueryClient } from '@tanstack/react-query'
import { createRootRouteWithContext, Link, Outlet, retainSearchParams } from '@tanstack/react-router'
import { ChainPicker } from '../components/ChainPicker.tsx'
import { NotFound } from '../components/NotFound.tsx'
import { SearchBox } from '../components/SearchBox.tsx'
import { ErrorNote } from '../components/States.tsx'
import { ChainProvider } from '../lib/chain-context.tsx'
import { useLiveSubscriptions } from '../lib/live.ts'
import type { Network } from '../lib/network.ts'
import { chainSearchSchema } from '../lib/params.ts'

export type RouterContext = { queryClient: QueryClient; network: Network }

export const Route = createRootRouteWithContext<RouterContext>()({
  validateSearch: chainSearchSchema,
  // The chain selection follows every link.
  search: { middlewares: [retainSearchParams(['chain', 'rpc'])] },
  component: () => (
    <Layout>
      <Outlet />
    </Layout>
  ),
  notFoundComponent: () => <NotFound />,
  errorComponent: ({ error }) => (
    <Layout>
      <h1>Something went wrong</h1>
      <ErrorNote error={error} />
    </Layout>
  ),
})

const NAV = [
  ['/', 'Overview'],
  ['/blocks', 'Blocks'],
  ['/batches', 'Batches'],
  ['/payments', 'Payments'],
  ['/agents', 'Agents'],
  ['/bridge', 'Bridge'],
  ['/l1', 'L1'],
] as const

function Layout({ children }: { children: React.ReactNode }) {
  const { network } = Route.useRouteContext()
  const search = Route.useSearch()
  return (
    <ChainProvider network={network} search={search}>
      <Live />
      <div className="app">
        <header>
          <nav aria-label="Main">
            <Link to="/" className="brand">
              Seed
            </Link>
            {NAV.map(([to, label]) => (
              <Link key={to} to={to} activeOptions={{ exact: to === '/' }}>
                {label}
              </Link>
            ))}
          </nav>
          <div className="tools">
            <SearchBox />
            <ChainPicker />
          </div>
        </header>
        <main>{children}</main>
      </div>
    </ChainProvider>
  )
}

function Live() {
  useLiveSubscriptions()
  return null
}
