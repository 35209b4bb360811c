/**
 * What the operator's devnet tests share: clients of the test devnet's L1 and sequencer, funded keys, L2
 * transactions on demand (blocks to replicate, batches to verify and pin), the poster's ERC-8004 agent, and
 * the poster's view of paid feedback.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  type Bounty,
  fetchIpfsFile,
  IdentityRegistryAbi,
  paidFeedback,
  registerAgentCall,
  SeedUSDAbi,
  seedBountyEscrow,
  seedErc8004Registries,
} from '@seed/contracts'
import { devAccount, devPrivateKey } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { type Address, createPublicClient, createWalletClient, defineChain, http, parseEther } from 'viem'
import { generatePrivateKey, type LocalAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { inject } from 'vitest'
import { type FeedbackLedger, ipfsPublisher } from '../src/index.ts'

export const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
export const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
export const walletOf = (account: LocalAccount) =>
  createWalletClient({ chain: foundry, transport, account, pollingInterval: 50 })
const rollup = defineChain({
  id: manifest.rollup.chainId,
  name: 'stack rollup',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
})
export const sequencer = createPublicClient({ chain: rollup, transport: http(manifest.rollup.rpcUrl) })
export const escrow = seedBountyEscrow()
export const { identity, reputation, validation } = seedErc8004Registries()
export const usd = manifest.contracts.usd
export const tmp = process.env.SEED_TEST_TMP ?? '/tmp'
/** `seed-operator` as a user runs it. */
export const cli = join(import.meta.dirname, '..', 'bin', 'seed-operator.mjs')
export const run = promisify(execFile)
// The devnet admits the `user` key as a pinner: the poster publishes its feedback files under it.
export const publish = ipfsPublisher(manifest.services.ipfsHttp!, privateKeyToAccount(devPrivateKey('user')))
export const fetchFile = (uri: string) => fetchIpfsFile(manifest.services.ipfsHttp!, uri)

const funder = walletOf(devAccount('user'))
const deployer = walletOf(devAccount('deployer'))

/** A new key with 1 ETH on L1 and, if asked, Seed USD. */
export async function newFundedAccount(usdAmount = 0n) {
  const privateKey = generatePrivateKey()
  const account = privateKeyToAccount(privateKey)
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
  })
  if (usdAmount) {
    await l1.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [account.address, usdAmount],
      }),
    })
  }
  return { privateKey, key: account, wallet: walletOf(account) }
}

export type FundedAccount = Awaited<ReturnType<typeof newFundedAccount>>

/** L2 transactions on demand, from a key `fundL2Sender` funds: the stack's sequencer seals (and gossips) a
 * block per transaction, and its batcher posts them. */
const l2Sender = privateKeyToAccount(generatePrivateKey())
let l2Nonce = 0

export async function fundL2Sender() {
  const sponsor = privateKeyToAccount(devPrivateKey('sponsor'))
  await sendL2(sponsor, {
    nonce: await sequencer.getTransactionCount({ address: sponsor.address, blockTag: 'pending' }),
    to: l2Sender.address,
    value: parseEther('1'),
  })
}

export const sealL2Block = () =>
  sendL2(l2Sender, { nonce: l2Nonce++, to: '0x00000000000000000000000000000000000b0b0b', value: 1n })

async function sendL2(from: LocalAccount, tx: { nonce: number; to: Address; value: bigint }) {
  const raw = await from.signTransaction!({
    ...tx,
    chainId: manifest.rollup.chainId,
    gas: 21_000n,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 1n,
  })
  const hash = await sequencer.request({ method: 'eth_sendRawTransaction', params: [raw] })
  await sequencer.waitForTransactionReceipt({ hash, pollingInterval: 50 })
}

/** Registers a new ERC-8004 agent owned by `poster`'s key; answers its id. */
export async function registerAgent(poster: FundedAccount): Promise<bigint> {
  const registered = await poster.wallet.sendTransaction(registerAgentCall(identity))
  const [log] = await l1.getContractEvents({
    address: identity,
    abi: IdentityRegistryAbi,
    eventName: 'Registered',
    blockHash: (await l1.waitForTransactionReceipt({ hash: registered })).blockHash,
    args: { owner: poster.key.address },
    strict: true,
  })
  return log!.args.agentId
}

export async function until(what: string, check: () => Promise<boolean>, ms = 150_000, everyMs = 500) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export const balanceOf = (account: Address) =>
  l1.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'balanceOf', args: [account] })

/** The feedback an agent received that the poster's wallet would count: backed by a payment to `payee`. */
export const feedbackOf = (agentId: bigint, payee: Address) =>
  paidFeedback(l1, { reputation, agentId, agentWallet: payee, chainId: foundry.id, fetchFile })

export const feedbackParams = (bounty: Bounty, agentId: bigint, payee: Address, ledger: FeedbackLedger) => ({
  escrow,
  identity,
  reputation,
  bountyId: bounty.bountyId,
  agentId,
  payee,
  publish,
  ledger,
})
