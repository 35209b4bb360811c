/**
 * The test dApp plus ERC-7715: it asks the wallet for execution permissions with viem's own
 * `erc7715Actions` (unmodified) and sends under them with viem's `sendCalls` and the `permissions`
 * capability, as a dApp would.
 */
import './dapp.ts'
import { type Address, createWalletClient, custom, defineChain, type EIP1193Provider, type Hex } from 'viem'
import { erc7715Actions, type GrantPermissionsParameters } from 'viem/experimental'

type Announced = { info: { rdns: string }; provider: EIP1193Provider }
const announced: Announced[] = []
window.addEventListener('eip6963:announceProvider', (event) => announced.push((event as CustomEvent<Announced>).detail))
window.dispatchEvent(new Event('eip6963:requestProvider'))

function seed() {
  const wallet = announced.find((w) => w.info.rdns === 'dev.seed.wallet')
  if (!wallet) throw new Error('Seed wallet not announced')
  return wallet.provider
}

async function client() {
  const provider = seed()
  const id = Number(await provider.request({ method: 'eth_chainId' }))
  const chain = defineChain({
    id,
    name: 'Seed L1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [] } },
  })
  return createWalletClient({ chain, transport: custom(provider) }).extend(erc7715Actions())
}

/** What the dApp got: a result, or the wallet's EIP-1193 error (its own message is in `details`). */
async function attempt<T>(run: () => Promise<T>) {
  try {
    return { ok: true as const, value: await run() }
  } catch (error) {
    const e = error as {
      code?: number
      cause?: { code?: number }
      details?: string
      shortMessage?: string
      message: string
    }
    return {
      ok: false as const,
      code: e.code ?? e.cause?.code ?? -1,
      message: e.shortMessage ?? e.message,
      details: e.details ?? e.message,
    }
  }
}

const grants = {
  /** viem's erc7715Actions().grantPermissions, as is (the amounts in `data` are hex, as they cross JSON). */
  grantPermissions: (parameters: GrantPermissionsParameters) =>
    attempt(async () => (await client()).grantPermissions(parameters)),
  /** viem's sendCalls with the grant's context: the wallet sends under the grant, without asking. */
  sendCallsWithPermission: (account: Address, calls: { to: Address; value?: string; data?: Hex }[], context: Hex) =>
    attempt(async () => {
      const c = await client()
      return c.sendCalls({
        account,
        calls: calls.map((call) => ({
          to: call.to,
          data: call.data,
          value: call.value ? BigInt(call.value) : undefined,
        })),
        capabilities: { permissions: { context } },
      })
    }),
  waitForCallsStatus: (id: string) =>
    attempt(async () => {
      const status = await (await client()).waitForCallsStatus({ id, pollingInterval: 200, timeout: 60_000 })
      return { status: status.status, transactionHash: status.receipts?.[0]?.transactionHash }
    }),
  getCapabilities: (account: Address) => attempt(async () => (await client()).getCapabilities({ account })),
}

Object.assign(window, { grants })
export type Grants = typeof grants
