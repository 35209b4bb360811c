import { tanstackRouter } from '@tanstack/router-plugin/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

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
  build: { target: 'es2022' },
})
