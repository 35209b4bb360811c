/**
 * The bridge predeploys on a real rollup-lite chain (SPEC §10.3, §6): a withdrawal through the message passer
 * burns its value and sets `sentMessages`, the node's `eth_getProof` storage proof verifies under the storage
 * root, and the sequencer's node and a derivation replay commit the same storage root in the output root;
 * a v1 chain (no predeploy) keeps zero.
 */
import { MerklePatriciaTrie, verifyMPTWithMerkleProof } from '@ethereumjs/mpt'
import { L2StandardBridgeAbi, l2TwinAddress } from '@seed/contracts'
import {
  type Address,
  bytesToHex,
  encodeFunctionData,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
  numberToHex,
  parseEther,
  serializeTransaction,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { nodeMessagePasserStorageRoot } from '../../batch/node-source.ts'
import { createRollupNode, type RollupNode } from '../../create-node.ts'
import { createReplayExecutor } from '../../derive/replay.ts'
import { memoryKv } from '../../state/memory-kv.ts'
import { TEST_KEYS } from '../../testing.ts'
import { devGenesis, parseGenesis } from '../genesis-file.ts'
import { NO_WITHDRAWALS_ROOT, outputRoot } from '../output-root.ts'
import {
  decodeMessagePassedLog,
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  messagePasserAbi,
  withdrawalHash,
  withdrawalNonce,
  withdrawalStorageSlot,
} from './withdrawal.ts'

const chainId = 901_901
const inbox: Address = '0x00000000000000000000000000000000000ba5e1'
const user = privateKeyToAccount(TEST_KEYS[0]!)

async function send(node: RollupNode, to: Address, data: Hex, value = 0n, nonce = 0) {
  const raw = await user.signTransaction(
    {
      chainId,
      type: 'eip1559',
      to,
      data,
      value,
      nonce,
      gas: 500_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 0n,
    },
    { serializer: serializeTransaction },
  )
  const hash = (await node.request('eth_sendRawTransaction', [raw])) as Hex
  await node.sealNow()
  await node.flushed()
  return (await node.request('eth_getTransactionReceipt', [hash])) as {
    status: Hex
    blockNumber: Hex
    logs: { topics: Hex[]; data: Hex; address: Address }[]
  }
}

const chainWith = async (genesisJson: ReturnType<typeof devGenesis>) =>
  createRollupNode({ kv: memoryKv(), genesis: parseGenesis(genesisJson), sealEmptyBlocks: false })

test('a withdrawal burns its value, is proven by eth_getProof, and the node and a replay commit the same root', async () => {
  const genesis = devGenesis(chainId, [user.address], { inbox })
  const node = await chainWith(genesis)
  const target = getAddress('0x000000000000000000000000000000000000beef')
  const value = parseEther('1.5')
  const data = encodeFunctionData({
    abi: messagePasserAbi,
    functionName: 'initiateWithdrawal',
    args: [target, 100_000n, '0xc0ffee'],
  })
  const receipt = await send(node, L2_TO_L1_MESSAGE_PASSER, data, value)
  expect(receipt.status).toBe('0x1')
  const passed = decodeMessagePassedLog(
    receipt.logs.find((l) => l.address.toLowerCase() === L2_TO_L1_MESSAGE_PASSER.toLowerCase())!,
  )
  expect(passed).toMatchObject({ nonce: withdrawalNonce(0n), sender: user.address, target, value, gasLimit: 100_000n })
  expect(withdrawalHash(passed)).toBe(passed.withdrawalHash)

  const block = BigInt(receipt.blockNumber)
  // The value left circulation: nobody holds it, the message passer neither.
  expect(BigInt((await node.request('eth_getBalance', [L2_TO_L1_MESSAGE_PASSER, 'latest'])) as Hex)).toBe(0n)
  const sent = (await node.request('eth_call', [
    {
      to: L2_TO_L1_MESSAGE_PASSER,
      data: encodeFunctionData({ abi: messagePasserAbi, functionName: 'sentMessages', args: [passed.withdrawalHash] }),
    },
    'latest',
  ])) as Hex
  expect(BigInt(sent)).toBe(1n)

  const slot = withdrawalStorageSlot(passed.withdrawalHash)
  const proof = (await node.request('eth_getProof', [L2_TO_L1_MESSAGE_PASSER, [slot], numberToHex(block)])) as {
    storageHash: Hex
    storageProof: { value: Hex; proof: Hex[] }[]
  }
  expect(BigInt(proof.storageProof[0]!.value)).toBe(1n)
  const root = await nodeMessagePasserStorageRoot(node, block)
  expect(root).toBe(proof.storageHash)
  expect(root).not.toBe(NO_WITHDRAWALS_ROOT)
  // The proof SeedPortal checks (secure trie: key keccak256(slot), value rlp(1) = 0x01).
  const verified = await verifyMPTWithMerkleProof(
    new MerklePatriciaTrie({ useKeyHashing: true }),
    hexToBytes(root),
    hexToBytes(slot),
    proof.storageProof[0]!.proof.map((p) => hexToBytes(p)),
  )
  expect(verified && bytesToHex(verified)).toBe('0x01')

  // Derivation replays the same blocks and lands on the same output root.
  const replay = await createReplayExecutor({ kv: memoryKv(), genesis: parseGenesis(genesis) })
  let executed = replay.genesis
  for (let n = 1n; n <= block; n++) {
    const b = (await node.block(n))!
    executed = await replay.executeBlock({
      number: n,
      timestamp: b.header.timestamp,
      transactions: b.transactions.map((t) => bytesToHex(t)),
    })
  }
  const sealed = (await node.block(block))!
  expect(executed.hash).toBe(sealed.hash)
  expect(await replay.messagePasserStorageRoot(executed.stateRoot)).toBe(root)
  expect(outputRoot({ stateRoot: executed.stateRoot, blockHash: executed.hash, withdrawalStorageRoot: root })).toBe(
    outputRoot({ stateRoot: sealed.header.stateRoot, blockHash: sealed.hash, withdrawalStorageRoot: root }),
  )
  await node.close()
})

test('sending ETH to the message passer withdraws it to the sender, as OP', async () => {
  const node = await chainWith(devGenesis(chainId, [user.address], { inbox }))
  const receipt = await send(node, L2_TO_L1_MESSAGE_PASSER, '0x', 7n)
  const passed = decodeMessagePassedLog(receipt.logs[0]!)
  expect(passed).toMatchObject({
    sender: user.address,
    target: user.address,
    value: 7n,
    gasLimit: 100_000n,
    data: '0x',
  })
  await node.close()
})

test('the L2 bridge knows its L1 bridge and inbox from genesis, mints only for the L1 bridge, withdraws only twins', async () => {
  const node = await chainWith(devGenesis(chainId, [user.address], { inbox }))
  const call = async (functionName: 'inbox' | 'l1StandardBridge') =>
    (await node.request('eth_call', [
      { to: L2_STANDARD_BRIDGE, data: encodeFunctionData({ abi: L2StandardBridgeAbi, functionName }) },
      'latest',
    ])) as Hex
  expect(BigInt(await call('inbox'))).toBe(BigInt(inbox))
  const token: Address = '0x000000000000000000000000000000000000d00d'
  const twin = (await node.request('eth_call', [
    {
      to: L2_STANDARD_BRIDGE,
      data: encodeFunctionData({ abi: L2StandardBridgeAbi, functionName: 'twinAddress', args: [token] }),
    },
    'latest',
  ])) as Hex
  expect(BigInt(twin)).toBe(BigInt(l2TwinAddress(token)))

  const forged = await send(
    node,
    L2_STANDARD_BRIDGE,
    encodeFunctionData({
      abi: L2StandardBridgeAbi,
      functionName: 'finalizeDeposit',
      args: [token, user.address, user.address, 10n ** 18n],
    }),
  )
  expect(forged.status).toBe('0x0')
  const notATwin = await send(
    node,
    L2_STANDARD_BRIDGE,
    encodeFunctionData({ abi: L2StandardBridgeAbi, functionName: 'withdraw', args: [token, 1n, 200_000] }),
    0n,
    1,
  )
  expect(notATwin.status).toBe('0x0')
  await node.close()
})

test('a v1 chain (no predeploy) commits zero, even with ETH sent to the predeploy address', async () => {
  const node = await chainWith(devGenesis(chainId, [user.address]))
  const receipt = await send(node, L2_TO_L1_MESSAGE_PASSER, '0x', 5n)
  expect(receipt.status).toBe('0x1')
  expect(await nodeMessagePasserStorageRoot(node, BigInt(receipt.blockNumber))).toBe(NO_WITHDRAWALS_ROOT)
  expect(keccak256('0x')).not.toBe(NO_WITHDRAWALS_ROOT)
  await node.close()
})
