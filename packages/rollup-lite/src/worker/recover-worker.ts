/** Browser Worker that recovers tx senders (WASM libsecp256k1) for the node's Worker. */
import { initWasmSecp256k1 } from '@solar-republic/wasm-secp256k1'
import { recoverBatch } from '../chain/recover-client.ts'

const secp = initWasmSecp256k1()
let chain: Promise<unknown> = Promise.resolve()

self.onmessage = (event: MessageEvent<Uint8Array>) => {
  // Keep replies in request order even while the WASM module is still loading.
  chain = chain.then(async () => {
    const s = await secp
    const out = recoverBatch(event.data, (sig, recId, hash) => s.recover(sig, hash, recId, true))
    ;(self as unknown as Worker).postMessage(out, [out.buffer])
  })
}
