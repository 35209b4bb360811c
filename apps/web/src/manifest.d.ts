declare module 'virtual:seed-manifest' {
  const manifest: import('../../../packages/devnet/src/manifest.ts').Manifest
  export default manifest
}
