/**
 * `rollup-lite node --agent <id>` on the devnet (issue 17): an agent registered in the ERC-8004
 * identity registry whose file names a rollup (the stack's: inbox, genesis pinned on IPFS by CID,
 * sequencer key, gossip peer, RPC) is followed from its id alone — no --follow, --genesis,
 * --sequencer-rpc or --sequencer-p2p flag — and a file whose genesis is of another chain is refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  agentRegistrationFile,
  encodeRegistrationFile,
  IdentityRegistryAbi,
  rawCidOf,
  registerAgentCall,
  rollupServices,
  seedErc8004Registries,
} from '@seed/contracts'
import { devAccount, devPrivateKey } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { CID } from 'multiformats/cid'
import { createPublicClient, createWalletClient, type Hex, http } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, expect, inject, test, vi } from 'vitest'
import { httpPinner } from '../ipfs/pinner.ts'
import { runFollow } from './cli.ts'

const manifest = inject('manifest')
const tmp = process.env.SEED_TEST_TMP ?? '/tmp'
const transport = http(manifest.l1.rpcUrl)
const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const owner = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
const ipfsUrl = manifest.services.ipfsHttp!
const { identity } = seedErc8004Registries()
const stops: (() => Promise<void>)[] = []

afterAll(async () => {
  for (const stop of stops) await stop()
})

/** Pins `bytes` on the devnet peer (as a raw block, CID from the bytes) and returns its ipfs:// URI. */
async function pin(bytes: Uint8Array): Promise<string> {
  const cid = rawCidOf(bytes)
  await httpPinner(ipfsUrl, { signer: devAccount('user') }).pin(CID.parse(cid), bytes)
  return `ipfs://${cid}`
}

async function registerFile(genesisUri: string): Promise<bigint> {
  const file = agentRegistrationFile({
    name: 'stack rollup',
    description: 'the devnet stack rollup, as an agent chain',
    x402Support: false,
    services: rollupServices({
      l1ChainId: foundry.id,
      inbox: manifest.contracts.rollupInbox,
      chainId: manifest.rollup.chainId,
      sequencer: privateKeyToAddress(devPrivateKey('sequencer')),
      genesisUri,
      peers: [manifest.rollup.p2p!],
      rpcUrl: manifest.rollup.rpcUrl,
    }),
  })
  const agentURI = await pin(encodeRegistrationFile(file))
  const hash = await owner.sendTransaction(registerAgentCall(identity, { agentURI }))
  const receipt = await l1.waitForTransactionReceipt({ hash })
  const [log] = await l1.getContractEvents({
    address: identity,
    abi: IdentityRegistryAbi,
    eventName: 'Registered',
    blockHash: receipt.blockHash,
    strict: true,
  })
  return log!.args.agentId
}

const rpc = async (url: string, method: string, params: readonly unknown[] = []) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await res.json()) as { result: unknown }).result
}

const follow = (values: Parameters<typeof runFollow>[0]) =>
  runFollow({
    'data-dir': mkdtempSync(join(tmp, 'replica-agent-')),
    l1: manifest.l1.rpcUrl,
    beacon: manifest.l1.beaconUrl,
    ipfs: ipfsUrl,
    port: '0',
    poll: '500',
    ...values,
  })

test('follows an agent chain from its agent id: inbox, genesis by CID, sequencer and peers from the file', async () => {
  const agentId = await registerFile(await pin(readFileSync(manifest.rollup.genesis)))
  const lines: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line))
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
  let stop: (() => Promise<void>) | undefined
  try {
    stop = await follow({ agent: agentId.toString() })
  } finally {
    log.mockRestore()
  }
  expect(stop).toBeTypeOf('function')
  stops.push(stop!)
  const listening = JSON.parse(lines[0]!) as { url: string; follow: Hex; chainId: string }
  expect(listening.follow.toLowerCase()).toBe(manifest.contracts.rollupInbox.toLowerCase())
  expect(listening.chainId).toBe(String(manifest.rollup.chainId))
  // The registration's key is the inbox's: nothing to warn about.
  expect(errors.mock.calls.flat().join('\n')).not.toMatch(/names sequencer/)
  errors.mockRestore()
  const head = BigInt((await rpc(manifest.rollup.rpcUrl, 'eth_blockNumber')) as Hex)
  const deadline = Date.now() + 150_000
  while (BigInt((await rpc(listening.url, 'eth_blockNumber')) as Hex) < head) {
    if (Date.now() > deadline) throw new Error('the replica never reached the sequencer head')
    await new Promise((r) => setTimeout(r, 250))
  }
  const block = ['eth_getBlockByNumber', [`0x${head.toString(16)}`, false]] as const
  expect(await rpc(listening.url, ...block)).toEqual(await rpc(manifest.rollup.rpcUrl, ...block))
}, 200_000)

test('a registration whose genesis is of another chain is refused with a typed error', async () => {
  const other = JSON.parse(readFileSync(manifest.rollup.genesis, 'utf8')) as { chainId: number }
  const wrong = new TextEncoder().encode(JSON.stringify({ ...other, chainId: other.chainId + 1 }))
  const agentId = await registerFile(await pin(wrong))
  await expect(follow({ agent: agentId.toString() })).rejects.toMatchObject({
    name: 'FollowTargetError',
    shortMessage: expect.stringMatching(/genesis is of chain/),
  })
  // A local copy of the file works the same (no registry read).
  const file = join(mkdtempSync(join(tmp, 'replica-file-')), 'registration.json')
  writeFileSync(
    file,
    encodeRegistrationFile(
      agentRegistrationFile({
        name: 'x',
        description: 'x',
        x402Support: false,
        services: rollupServices({
          l1ChainId: foundry.id + 1,
          inbox: manifest.contracts.rollupInbox,
          chainId: manifest.rollup.chainId,
          peers: [],
        }),
      }),
    ),
  )
  await expect(follow({ registration: file })).rejects.toThrow(/L1 chain 31338/)
}, 60_000)
