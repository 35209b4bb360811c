import { tanstackRouter } from '@tanstack/router-plugin/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * Libraries in chunks of their own, so no chunk passes Vite's 500 kB warning and a route's chunk holds only
 * its code: a page loads the libraries it uses, and a deploy that changes only the app keeps them cached.
 * uPlot is apart so only the pages with charts fetch it.
 */
const LIBRARY_CHUNKS: { name: string; test: RegExp }[] = [
  { name: 'charts', test: /node_modules[\\/](\.pnpm[\\/])?uplot/ },
  { name: 'react', test: /node_modules[\\/].*[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: 'tanstack', test: /node_modules[\\/].*[\\/]@tanstack[\\/]/ },
  { name: 'crypto', test: /node_modules[\\/].*[\\/]@noble[\\/]/ },
  { name: 'viem', test: /node_modules[\\/].*[\\/](viem|ox|abitype)[\\/]/ },
]

// File-based routes (src/routes) compiled into src/generated/routeTree.gen.ts, each route its own chunk.
export default defineConfig({
  plugins: [
    tanstackRouter({
      target: 'react',
      autoCodeSplitting: true,
      routesDirectory: './src/routes',
      generatedRouteTree: './src/generated/routeTree.gen.ts',
    }),
    react(),
  ],
  build: { target: 'es2022', rolldownOptions: { output: { codeSplitting: { groups: LIBRARY_CHUNKS } } } },
})
