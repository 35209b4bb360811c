/** libp2p's helpers call Promise.withResolvers (Node 22+, Chrome 119+); this repo runs on Node 20. */
const promise = Promise as unknown as { withResolvers?: () => unknown }
promise.withResolvers ??= () => {
  let resolve!: (v: unknown) => void
  let reject!: (e: unknown) => void
  const p = new Promise((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise: p, resolve, reject }
}
