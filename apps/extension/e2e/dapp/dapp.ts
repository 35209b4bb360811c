/**
 * A real dApp (bundled with esbuild, served on 127.0.0.1): finds wallets through EIP-6963 and
 * drives the chosen one with viem. The tests call `window.dapp.*` and read what a dApp would see.
 */
import {
  type Address,
  createWalletClient,
  custom,
  type EIP1193Provider,
  type Hex,
  type TypedDataDefinition,
} from 'viem'

type Announced = { info: { uuid: string; name: string; icon: string; rdns: string }; provider: EIP1193Provider }

const wallets: Announced[] = []
const events: { event: string; data: unknown }[] = []

window.addEventListener('eip6963:announceProvider', (event) => {
  const detail = (event as CustomEvent<Announced>).detail
  if (wallets.some((w) => w.info.uuid === detail.info.uuid)) return
  wallets.push(detail)
  document.getElementById('wallet')!.textContent = `found ${detail.info.name} (${detail.info.rdns})`
  for (const name of ['connect', 'disconnect', 'accountsChanged', 'chainChanged']) {
    detail.provider.on(name as 'connect', (data: unknown) =>
      // Errors (the `disconnect` payload) would cross to the test without their code: keep both.
      events.push({
        event: name,
        data: data instanceof Error ? { code: (data as { code?: number }).code, message: data.message } : data,
      }),
    )
  }
})
window.dispatchEvent(new Event('eip6963:requestProvider'))

function seed() {
  const wallet = wallets.find((w) => w.info.rdns === 'dev.seed.wallet')
  if (!wallet) throw new Error('Seed wallet not announced')
  return wallet.provider
}

const walletClient = () => createWalletClient({ transport: custom(seed()) })

/** Runs a provider call and returns what the dApp got: a result or an EIP-1193 error. */
async function attempt<T>(
  run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; code: number; message: string; details?: string }> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    const e = error as {
      code?: number
      cause?: { code?: number; message?: string }
      shortMessage?: string
      details?: string
      message: string
    }
    // viem replaces the wallet's message by a generic one per code; the wallet's own text is in `details`.
    const details = e.details ?? e.cause?.message ?? e.message
    return { ok: false, code: e.code ?? e.cause?.code ?? -1, message: e.shortMessage ?? e.message, details }
  }
}

const dapp = {
  wallets: () => wallets.map((w) => w.info),
  events: () => events,
  isConnected: () => (seed() as unknown as { isConnected(): boolean }).isConnected(),
  request: (method: string, params?: unknown[]) => attempt(() => seed().request({ method, params } as never)),
  connect: () => attempt(() => walletClient().requestAddresses()),
  chainId: () => attempt(() => walletClient().getChainId()),
  signMessage: (account: Address, message: string) => attempt(() => walletClient().signMessage({ account, message })),
  signTypedData: (account: Address, typedData: TypedDataDefinition) =>
    attempt(() => walletClient().signTypedData({ account, ...typedData } as never)),
  sendTransaction: (account: Address, to: Address, value: Hex) =>
    attempt(() => seed().request({ method: 'eth_sendTransaction', params: [{ from: account, to, value }] })),
  switchChain: (chainId: number) => attempt(() => walletClient().switchChain({ id: chainId })),
  /** Polls eth_getTransactionReceipt through the wallet, like a dApp waiting for its tx. */
  waitForReceipt: (hash: Hex) =>
    attempt(async () => {
      for (;;) {
        const receipt = (await seed().request({ method: 'eth_getTransactionReceipt', params: [hash] })) as {
          status: Hex
          blockNumber: Hex
        } | null
        if (receipt) return receipt
        await new Promise((r) => setTimeout(r, 100))
      }
    }),
}

Object.assign(window, { dapp })
export type Dapp = typeof dapp
