import { createRootRoute, createRoute, createRouter, Link, Outlet } from '@tanstack/react-router'
import { L1Block } from './routes/l1-block.tsx'
import { L1Blocks } from './routes/l1-blocks.tsx'
import { Overview } from './routes/overview.tsx'
import { Rollup } from './routes/rollup.tsx'
import { RollupBlock } from './routes/rollup-block.tsx'

const rootRoute = createRootRoute({
  component: () => (
    <div className="app">
      <nav>
        <strong className="brand">Seed</strong>
        <Link to="/">Stack</Link>
        <Link to="/rollup">Rollup explorer</Link>
        <Link to="/l1">L1 explorer</Link>
      </nav>
      <main>
        <Outlet />
      </main>
    </div>
  ),
})

const blockRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/l1/$block',
  component: function BlockPage() {
    const { block } = blockRoute.useParams()
    return <L1Block block={block} />
  },
})
const rollupBlockRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/rollup/$block',
  component: function RollupBlockPage() {
    const { block } = rollupBlockRoute.useParams()
    return <RollupBlock block={block} />
  },
})
const routes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: Overview }),
  createRoute({ getParentRoute: () => rootRoute, path: '/l1', component: L1Blocks }),
  blockRoute,
  createRoute({ getParentRoute: () => rootRoute, path: '/rollup', component: Rollup }),
  rollupBlockRoute,
]

export const router = createRouter({ routeTree: rootRoute.addChildren(routes) })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}
