/** The extension UI: popup and approval window share one app (hash routes). */
import {
  createHashHistory,
  createRootRoute,
  createRoute,
  createRouter,
  Link,
  Outlet,
  RouterProvider,
  useRouterState,
} from '@tanstack/react-router'
import { background } from './api.ts'
import { ActivityScreen } from './screens/activity.tsx'
import { AgentsScreen } from './screens/agents.tsx'
import { ApprovalScreen } from './screens/approval.tsx'
import { BridgeScreen } from './screens/bridge.tsx'
import { FundScreen } from './screens/fund.tsx'
import { HomeScreen } from './screens/home.tsx'
import { NetworksScreen } from './screens/networks.tsx'
import { OnboardingScreen } from './screens/onboarding.tsx'
import { PairingsScreen } from './screens/pairings.tsx'
import { RollupScreen } from './screens/rollup.tsx'
import { SettingsScreen } from './screens/settings.tsx'
import { SitesScreen } from './screens/sites.tsx'
import { UnlockScreen } from './screens/unlock.tsx'
import { useAsync } from './use-async.ts'
import { WalletContext } from './wallet-context.ts'

function Shell() {
  const { data: state, error, reload } = useAsync(() => background('ui:state', undefined))
  const inApproval = useRouterState({ select: (s) => s.location.pathname.startsWith('/approve') })
  if (error) return <main className="center error">{error}</main>
  if (!state) return <main className="center muted">Loading…</main>
  let body = <Outlet />
  // Without a configured network the networks screen is the one thing to do (decision 0430).
  if (!state.configured) body = <NetworksScreen />
  else if (!state.hasVault) body = <OnboardingScreen onDone={reload} />
  else if (!state.unlocked) body = <UnlockScreen onDone={reload} />
  return (
    <WalletContext.Provider value={{ state, refresh: reload }}>
      <header className="topbar">
        <span className="brand">
          <span className="logo" /> Seed
        </span>
        <span className="chip">
          {state.network?.name ?? 'No network'} · {state.unlocked ? 'Unlocked' : 'Locked'}
        </span>
      </header>
      <main>{body}</main>
      {state.unlocked && !inApproval && (
        <nav className="tabs">
          <Link to="/" activeOptions={{ exact: true }}>
            Wallet
          </Link>
          <Link to="/activity">Activity</Link>
          <Link to="/rollup">Rollup</Link>
          <Link to="/bridge">Bridge</Link>
          <Link to="/sites">Sites</Link>
          <Link to="/pairings">Agents</Link>
          <Link to="/agents">Identity</Link>
          <Link to="/settings">Policy</Link>
          <Link to="/networks">Networks</Link>
          {/* The scripting console lives in the side panel (it stays open while the popup closes). */}
          <button type="button" className="link" onClick={openConsole} data-testid="open-console">
            Console
          </button>
        </nav>
      )}
    </WalletContext.Provider>
  )
}

const rootRoute = createRootRoute({ component: Shell })
const routeTree = rootRoute.addChildren([
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomeScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/fund', component: FundScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/activity', component: ActivityScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/rollup', component: RollupScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/bridge', component: BridgeScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/sites', component: SitesScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/settings', component: SettingsScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/pairings', component: PairingsScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/networks', component: NetworksScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/agents', component: AgentsScreen }),
  createRoute({ getParentRoute: () => rootRoute, path: '/approve/$id', component: ApprovalScreen }),
])

const router = createRouter({ routeTree, history: createHashHistory() })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}

/** Synchronously in the click: sidePanel.open needs the user gesture, which an await would lose. */
function openConsole() {
  void chrome.sidePanel.open({ windowId: chrome.windows.WINDOW_ID_CURRENT })
}

export function App() {
  return <RouterProvider router={router} />
}
