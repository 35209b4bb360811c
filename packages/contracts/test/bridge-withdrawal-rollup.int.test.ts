/**
 * A withdrawal end to end on the devnet stack's rollup (rollup-lite SPEC §10.3): an L2 account withdraws ETH
 * through the L2ToL1MessagePasser predeploy, the rollup peer posts the batch with its output root (the message
 * passer's real storage root), the proof is built from the rollup node's eth_getProof and proven on SeedPortal,
 * finalized after the challenge window (waited out in real time), and the L1 balance rises. Replays, a double
 * finalize and proofs against the wrong output are refused.
 */

import { devAccount } from '@seed/devnet'
import {
  type Account,
  type Address,
  type BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  getAddress,
  type Hex,
  http,
  parseEther,
  toHex,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { beforeAll, expect, inject, test } from 'vitest'
import {
  type BridgeCall,
  buildWithdrawalProof,
  depositEth,
  finalizeWithdrawal,
  getWithdrawalStatus,
  L2_TO_L1_MESSAGE_PASSER,
  L2ToL1MessagePasserAbi,
  proveWithdrawal,
  RollupInboxAbi,
  SEED_PORTAL,
  SeedPortalAbi,
  WithdrawalNotReadyError,
  type WithdrawalProof,
} from '../src/index.ts'

const manifest = inject('manifest')
const inbox = manifest.contracts.rollupInbox
const l1Chain = { ...foundry, id: manifest.l1.chainId }
const l1 = createPublicClient({ chain: l1Chain, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const l2Chain = defineChain({
  id: manifest.rollup.chainId,
  name: 'Seed rollup',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
})
const l2 = createPublicClient({ chain: l2Chain, transport: http(), pollingInterval: 100 })
const user = devAccount('user')
const l2Wallet = createWalletClient({ chain: l2Chain, transport: http(), account: user })

async function sendL1(account: Account, call: BridgeCall) {
  const hash = await createWalletClient({
    chain: l1Chain,
    transport: http(manifest.l1.rpcUrl),
    account,
  }).sendTransaction(call)
  const receipt = await l1.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`reverted: ${hash}`)
  return receipt
}

/** The portal's custom error for `call` sent by `account` (it must revert). */
async function portalRevert(account: Account, call: { to: Address; data: Hex }) {
  const error = await l1
    .request({ method: 'eth_call', params: [{ from: account.address, ...call }, 'latest'] } as never)
    .then(
      () => undefined,
      (e: BaseError) => e,
    )
  if (!error) throw new Error('expected a revert')
  const data = (error.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null)?.data
  if (!data) throw error
  const { errorName, args } = decodeErrorResult({ abi: SeedPortalAbi, data })
  // The OP MPT library refuses a path the trie lacks with a reason string rather than returning false.
  return (errorName as string) === 'Error' ? `Error: ${args?.[0]}` : errorName
}

const rawProve = (p: WithdrawalProof) => ({
  to: SEED_PORTAL,
  data: encodeFunctionData({
    abi: SeedPortalAbi,
    functionName: 'proveWithdrawal',
    args: [p.inbox, p.withdrawal, p.index, p.outputRootPreimage, p.storageProof],
  }),
})
const rawFinalize = (p: WithdrawalProof) => ({
  to: SEED_PORTAL,
  data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'finalizeWithdrawal', args: [p.inbox, p.withdrawal] }),
})

/** The index of the first posted batch whose L2 blocks reach `l2Block` (waits for the peer to post it). */
async function batchCovering(l2Block: bigint): Promise<bigint> {
  for (;;) {
    const [count] = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
    for (let i = 0n; i < count; i++) {
      const b = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batch', args: [i] })
      if (b.lastBlock >= l2Block) return i
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

/**
 * Waits out the devnet's challenge window in real time from `provenAt` (its 60 s), mining a block each second.
 * No time travel: this L1 is shared by the whole run, and a clock pushed ahead expires what other tests sign
 * with wall-clock validity windows (x402 authorisations, session-key user ops).
 */
async function waitOutChallengeWindow(provenAt: bigint) {
  const { challengeWindow } = await l1.readContract({
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName: 'configOf',
    args: [inbox],
  })
  for (;;) {
    await l1.request({ method: 'evm_mine' as never, params: [] as never })
    if ((await l1.getBlock()).timestamp > provenAt + challengeWindow) return
    await new Promise((r) => setTimeout(r, 1_000))
  }
}

beforeAll(async () => {
  // The chain's ETH on L1 (what finalization pays from). The deposit's L2 side is not this test's concern.
  await sendL1(user, await depositEth(l1, { inbox, to: user.address, amount: parseEther('5') }))
  // An earlier batch exists, so a proof can be pointed at the wrong output.
  const block = await l2.getBlockNumber()
  await l2.waitForTransactionReceipt({ hash: await l2Wallet.sendTransaction({ to: user.address, value: 1n }) })
  await batchCovering(block + 1n)
}, 120_000)

test('withdraw on L2, prove on L1 with the node’s eth_getProof, finalize after the window: the L1 balance rises; replays refused', async () => {
  const recipient = getAddress(privateKeyToAccount(generatePrivateKey()).address)
  const value = parseEther('1.25')
  const hash = await l2Wallet.writeContract({
    address: L2_TO_L1_MESSAGE_PASSER,
    abi: L2ToL1MessagePasserAbi,
    functionName: 'initiateWithdrawal',
    args: [recipient, 100_000n, '0x'],
    value,
  })
  const receipt = await l2.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  expect(await l2.getBalance({ address: L2_TO_L1_MESSAGE_PASSER })).toBe(0n) // burnt on L2
  const index = await batchCovering(receipt.blockNumber)

  // A batch before the withdrawal's block cannot prove it: the action says so before any L1 call.
  const early = await buildWithdrawalProof(l2, { l1, inbox, batchIndex: index - 1n, tx: hash }).catch((e) => e)
  expect(early).toBeInstanceOf(WithdrawalNotReadyError)
  expect((early as WithdrawalNotReadyError).reason).toBe('not-in-output')

  const proof = await buildWithdrawalProof(l2, { l1, inbox, batchIndex: index, tx: hash })
  expect(proof.withdrawal).toMatchObject({ sender: user.address, target: recipient, value, gasLimit: 100_000n })
  expect(
    await buildWithdrawalProof(l2, {
      l1,
      inbox,
      batchIndex: index,
      withdrawalHash: await l1.readContract({
        address: SEED_PORTAL,
        abi: SeedPortalAbi,
        functionName: 'hashWithdrawal',
        args: [proof.withdrawal],
      }),
    }),
  ).toEqual(proof)

  // The wrong output: this preimage at another index, or another storage root at this one.
  expect(await portalRevert(user, rawProve({ ...proof, index: index - 1n }))).toBe('OutputRootMismatch')
  const forgedRoot = { ...proof.outputRootPreimage, messagePasserStorageRoot: toHex(1n, { size: 32 }) }
  expect(await portalRevert(user, rawProve({ ...proof, outputRootPreimage: forgedRoot }))).toBe('OutputRootMismatch')
  // A withdrawal never sent (more value) does not verify under the real storage root: its path is not there.
  expect(
    await portalRevert(user, rawProve({ ...proof, withdrawal: { ...proof.withdrawal, value: value * 2n } })),
  ).toMatch(/^(InvalidWithdrawalProof|Error: MerkleTrie: .+)$/)

  await sendL1(user, await proveWithdrawal(l1, proof))
  const provenAt = (await l1.getBlock()).timestamp
  const status = await getWithdrawalStatus(l1, { inbox, withdrawal: proof.withdrawal })
  expect(status.status).toBe('proven')
  expect(await portalRevert(user, rawProve(proof))).toBe('AlreadyProven')
  expect(await portalRevert(user, rawFinalize(proof))).toBe('ChallengeWindowOpen')
  await expect(finalizeWithdrawal(l1, proof)).rejects.toMatchObject({ reason: 'challenge-window-open' })

  await waitOutChallengeWindow(provenAt)
  const escrow = await l1.readContract({
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName: 'ethEscrow',
    args: [inbox],
  })
  await sendL1(user, await finalizeWithdrawal(l1, proof))
  expect(await l1.getBalance({ address: recipient })).toBe(value)
  expect(
    await l1.readContract({ address: SEED_PORTAL, abi: SeedPortalAbi, functionName: 'ethEscrow', args: [inbox] }),
  ).toBe(escrow - value)

  // Never twice: neither a second finalize nor a new proof of the same withdrawal.
  expect(await portalRevert(user, rawFinalize(proof))).toBe('AlreadyFinalized')
  expect(await portalRevert(user, rawProve(proof))).toBe('AlreadyFinalized')
  await expect(finalizeWithdrawal(l1, proof)).rejects.toMatchObject({ reason: 'already-finalized' })
  await expect(proveWithdrawal(l1, proof)).rejects.toMatchObject({ reason: 'already-finalized' })
}, 240_000)
