import { createRootRoute, createRoute, createRouter, Link, notFound, Outlet } from '@tanstack/react-router'
import { L1Block } from './routes/l1-block.tsx'
import { L1Blocks } from './routes/l1-blocks.tsx'
import { L1Transaction } from './routes/l1-tx.tsx'
import { Overview } from './routes/overview.tsx'
import { Rollup } from './routes/rollup.tsx'
import { RollupBlock } from './routes/rollup-block.tsx'

/** Shown inside the layout for an unknown page or a malformed block number. */
function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no such page here. Try the <Link to="/rollup">rollup explorer</Link> or the{' '}
        <Link to="/l1">L1 explorer</Link>.
      </p>
    </section>
  )
}

/** A block number in the URL is a decimal integer; anything else is a page that does not exist. */
const blockParam = {
  parse: ({ block }: { block: string }) => {
    if (!/^(0|[1-9]\d{0,18})$/.test(block)) throw notFound()
    return { block: BigInt(block) }
  },
  stringify: ({ block }: { block: bigint }) => ({ block: block.toString() }),
}

/** A tx hash in the URL is 0x and 64 hex digits. */
const txParam = {
  parse: ({ hash }: { hash: string }) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw notFound()
    return { hash: hash.toLowerCase() as `0x${string}` }
  },
  stringify: ({ hash }: { hash: `0x${string}` }) => ({ hash }),
}

const rootRoute = createRootRoute({
  notFoundComponent: NotFound,
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
  params: blockParam,
  component: function BlockPage() {
    const { block } = blockRoute.useParams()
    return <L1Block block={block} />
  },
})
const rollupBlockRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/rollup/$block',
  params: blockParam,
  component: function RollupBlockPage() {
    const { block } = rollupBlockRoute.useParams()
    return <RollupBlock block={block} />
  },
})
const l1TxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/l1/tx/$hash',
  params: txParam,
  component: function TxPage() {
    const { hash } = l1TxRoute.useParams()
    return <L1Transaction hash={hash} />
  },
})
const routes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: Overview }),
  createRoute({ getParentRoute: () => rootRoute, path: '/l1', component: L1Blocks }),
  blockRoute,
  l1TxRoute,
  createRoute({ getParentRoute: () => rootRoute, path: '/rollup', component: Rollup }),
  rollupBlockRoute,
]

export const router = createRouter({ routeTree: rootRoute.addChildren(routes) })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}
