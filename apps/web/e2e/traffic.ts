/**
 * Real traffic on the devnet's rollup for the web tests and bench: an ETH transfer, a Seed USD
 * (ERC-20) transfer, and an x402 `exact` settlement (an EIP-3009 transfer the payee submits with
 * the payer's signature, as the facilitator does), then the batch that carries them.
 */
import { RollupInboxAbi, SeedUSDAbi } from '@seed/contracts'
import { devAccount, type Manifest } from '@seed/devnet'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hash,
  http,
  parseEther,
  toHex,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'

export function rollupClients(manifest: Manifest) {
  const chain = defineChain({
    id: manifest.rollup.chainId,
    name: 'Seed rollup',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
  })
  const transport = http(manifest.rollup.rpcUrl)
  return {
    chain,
    public: createPublicClient({ chain, transport, pollingInterval: 50 }),
    user: createWalletClient({ chain, transport, account: devAccount('user') }),
  }
}

export type Traffic = {
  payer: Address
  payee: Address
  ethTransfer: Hash
  erc20Transfer: Hash
  settlement: Hash
  /** The L2 block of the last of them. */
  lastBlock: bigint
}

export async function makeTraffic(manifest: Manifest): Promise<Traffic> {
  const l2 = rollupClients(manifest)
  const payerAccount = privateKeyToAccount(generatePrivateKey())
  const payer = payerAccount.address
  const payee = privateKeyToAccount(generatePrivateKey()).address
  const usd = manifest.contracts.usd
  const wait = (hash: Hash) => l2.public.waitForTransactionReceipt({ hash, timeout: 30_000 })

  const ethTransfer = await l2.user.sendTransaction({ to: payer, value: parseEther('1') })
  const erc20Transfer = await l2.user.writeContract({
    address: usd,
    abi: SeedUSDAbi,
    functionName: 'transfer',
    args: [payer, 5_000_000n],
  })
  await Promise.all([wait(ethTransfer), wait(erc20Transfer)])
  const authorization = {
    from: payer,
    to: payee,
    value: 1_250_000n,
    validAfter: 0n,
    validBefore: BigInt(Math.floor(Date.now() / 1000) + 3600),
    nonce: toHex(crypto.getRandomValues(new Uint8Array(32))),
  }
  const signature = await payerAccount.signTypedData({
    domain: { name: 'Seed USD', version: '2', chainId: manifest.rollup.chainId, verifyingContract: usd },
    types: {
      TransferWithAuthorization: [
        { name: 'from', type: 'address' },
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'validAfter', type: 'uint256' },
        { name: 'validBefore', type: 'uint256' },
        { name: 'nonce', type: 'bytes32' },
      ],
    },
    primaryType: 'TransferWithAuthorization',
    message: authorization,
  })
  const settlement = await l2.user.writeContract({
    address: usd,
    abi: SeedUSDAbi,
    functionName: 'transferWithAuthorization',
    args: [
      authorization.from,
      authorization.to,
      authorization.value,
      authorization.validAfter,
      authorization.validBefore,
      authorization.nonce,
      signature,
    ],
  })
  const receipt = await wait(settlement)
  if (receipt.status !== 'success') throw new Error('the x402 settlement reverted')
  return { payer, payee, ethTransfer, erc20Transfer, settlement, lastBlock: receipt.blockNumber }
}

/**
 * Waits until the rollup peer has posted the batch that covers `block` (the devnet batches within
 * ~10 s) and returns its index, read from the inbox's `BatchPosted` on L1.
 */
export async function waitForBatch(manifest: Manifest, block: bigint, timeoutMs = 60_000): Promise<bigint> {
  const l1 = createPublicClient({ transport: http(manifest.l1.rpcUrl) })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const posted = await l1.getContractEvents({
      address: manifest.contracts.rollupInbox,
      abi: RollupInboxAbi,
      eventName: 'BatchPosted',
      fromBlock: 0n,
      strict: true,
    })
    const covering = posted.find((log) => log.args.firstBlock <= block && block <= log.args.lastBlock)
    if (covering) return covering.args.index
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`no batch covered L2 block #${block} within ${timeoutMs} ms`)
}
