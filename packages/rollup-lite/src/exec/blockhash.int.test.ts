/**
 * Differential BLOCKHASH / EIP-2935: the same contract (logs blockhash(number - 1)) on anvil (the
 * devnet L1, Prague) and on rollup-lite — on both the logged value is the tx block's parent hash,
 * never zero, the history contract has the same code, and it holds the parent hash at
 * slot (number - 1) % 8191.
 */
import { devAccount } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { type Chain, createPublicClient, createWalletClient, type Hex, http, numberToHex, pad, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { PARENT_HASH_INITCODE, startTestNode, type TestNode, testGenesis } from '../testing.ts'
import { HISTORY_STORAGE_ADDRESS } from './system-contracts.ts'

const manifest = inject('manifest')
const sender = privateKeyToAccount(generatePrivateKey())

type Seen = { logged: Hex; parentHash: Hex; historySlot: Hex; historyCode: Hex | undefined }

async function parentHashSeen(chain: Chain, url: string): Promise<Seen> {
  const pub = createPublicClient({ chain, transport: http(url), pollingInterval: 20 })
  const wallet = createWalletClient({ chain, transport: http(url), account: sender })
  const deploy = await wallet.sendTransaction({ data: PARENT_HASH_INITCODE, gas: 100_000n })
  const contract = (await pub.waitForTransactionReceipt({ hash: deploy, timeout: 30_000 })).contractAddress as Hex
  const receipt = await pub.waitForTransactionReceipt({
    hash: await wallet.sendTransaction({ to: contract, gas: 100_000n }),
    timeout: 30_000,
  })
  // A rollup-lite receipt is a soft confirmation: its block is sealed within the block time.
  let block = await pub.getBlock({ blockNumber: receipt.blockNumber }).catch(() => undefined)
  for (let i = 0; !block && i < 100; i++) {
    await new Promise((r) => setTimeout(r, 20))
    block = await pub.getBlock({ blockNumber: receipt.blockNumber }).catch(() => undefined)
  }
  if (!block) throw new Error(`block ${receipt.blockNumber} never sealed`)
  const slot = numberToHex((receipt.blockNumber - 1n) % 8191n, { size: 32 })
  return {
    logged: receipt.logs[0]?.data as Hex,
    parentHash: block.parentHash,
    historySlot: (await pub.getStorageAt({ address: HISTORY_STORAGE_ADDRESS, slot, blockNumber: block.number })) as Hex,
    historyCode: await pub.getCode({ address: HISTORY_STORAGE_ADDRESS }),
  }
}

describe('differential BLOCKHASH: anvil vs rollup-lite', () => {
  let node: TestNode
  afterAll(() => node?.close())

  it('blockhash(number - 1) is the parent hash on both chains, and EIP-2935 stores it', async () => {
    const l1 = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
    const l1Pub = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 20 })
    await l1Pub.waitForTransactionReceipt({
      hash: await l1.sendTransaction({ to: sender.address, value: parseEther('1') }),
    })
    node = await startTestNode({
      genesis: testGenesis({ [sender.address]: { balance: parseEther('1') } }),
      blockTime: 50,
    })

    const onAnvil = await parentHashSeen({ ...foundry, id: manifest.l1.chainId }, manifest.l1.rpcUrl)
    const onRollup = await parentHashSeen(node.chain, node.server.url)
    for (const seen of [onAnvil, onRollup]) {
      expect(seen.logged).not.toBe(pad('0x0'))
      expect(seen.logged).toBe(seen.parentHash)
      expect(seen.historySlot).toBe(seen.parentHash)
    }
    expect(onRollup.historyCode).toBe(onAnvil.historyCode)
  })
})
