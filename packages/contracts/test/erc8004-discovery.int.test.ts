/**
 * Discovery on the devnet: agents publish ERC-8004 registration files on the stack's IPFS peer (pinned,
 * content-addressed by a raw CID the peer recomputes), point their agentURI at them, and a second agent
 * finds them by service kind. What it reads is checked: bytes that do not hash to the CID (a lying
 * gateway), a file that does not name the agent, or a wallet cleared by a transfer leave the agent listed
 * as unverified, never trusted.
 */
import { devAccount } from '@seed/devnet'
import { createPublicClient, createWalletClient, encodeFunctionData, type Hex, http, parseEther } from 'viem'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { describe, expect, inject, test } from 'vitest'
import {
  type AgentService,
  agentRegistrationFile,
  agentRegistryId,
  contentMatchesCid,
  discoverAgents,
  encodeRegistrationFile,
  type FetchFile,
  IdentityRegistryAbi,
  rawCidOf,
  registerAgentCall,
  SERVICE_KINDS,
  seedErc8004Registries,
  setAgentURICall,
} from '../src/index.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
const { identity } = seedErc8004Registries()
const ipfsHttp = manifest.services.ipfsHttp!
const registry = agentRegistryId(foundry.id, identity)

async function send(account: PrivateKeyAccount, call: { to: `0x${string}`; data: Hex }) {
  const hash = await createWalletClient({ chain: foundry, transport, account }).sendTransaction(call)
  return publicClient.waitForTransactionReceipt({ hash })
}

/** Pins `bytes` on the stack's IPFS peer, signed by an allowed pinner key (decision 0310). */
async function pin(bytes: Uint8Array) {
  const cid = rawCidOf(bytes)
  const signature = await devAccount('user').signMessage({ message: `seed-pin:${cid}` })
  const response = await fetch(`${ipfsHttp}/pin?cid=${cid}`, {
    method: 'POST',
    headers: { 'seed-pin-signature': signature },
    body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
  })
  expect(response.status, await response.clone().text()).toBe(200)
  expect(((await response.json()) as { cid: string }).cid).toBe(cid) // the peer's CID is ours
  return cid
}

/** Registers, publishes a file that names the new agentId, and points the agentURI at it. */
async function publishAgent(name: string, services: AgentService[]) {
  const owner = privateKeyToAccount(generatePrivateKey())
  await publicClient.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: owner.address, value: parseEther('1') }),
  })
  const receipt = await send(owner, registerAgentCall(identity))
  const [registered] = await publicClient.getContractEvents({
    address: identity,
    abi: IdentityRegistryAbi,
    eventName: 'Registered',
    blockHash: receipt.blockHash,
    strict: true,
  })
  const agentId = registered!.args.agentId
  const file = agentRegistrationFile({
    name,
    description: `${name} on the devnet`,
    services,
    x402Support: services.some((s) => s.name === SERVICE_KINDS.x402),
    registrations: [{ agentId: Number(agentId), agentRegistry: registry }],
  })
  const cid = await pin(encodeRegistrationFile(file))
  await send(owner, setAgentURICall(identity, { agentId, agentURI: `ipfs://${cid}` }))
  return { owner, agentId, cid }
}

const gateway: FetchFile = async (uri) => {
  const response = await fetch(`${ipfsHttp}/ipfs/${uri.replace('ipfs://', '')}`)
  if (!response.ok) throw new Error(`IPFS peer: ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

describe('ERC-8004 discovery', () => {
  test('an agent is found by service kind, its file verified; tampered bytes and a cleared wallet are unverified', async () => {
    const rpc = { name: SERVICE_KINDS.rollupRpc, endpoint: manifest.rollup.rpcUrl }
    const seller = await publishAgent('seller', [rpc, { name: SERVICE_KINDS.x402, endpoint: 'http://127.0.0.1:1/x' }])
    const chatty = await publishAgent('chatty', [{ name: SERVICE_KINDS.mcp, endpoint: 'ws://127.0.0.1:1' }])
    const forged = await publishAgent('forged', [rpc])
    const sold = await publishAgent('sold', [rpc])
    // The sold agent changes hands: its wallet proof does not carry over.
    await send(sold.owner, {
      to: identity,
      data: encodeFunctionData({
        abi: IdentityRegistryAbi,
        functionName: 'transferFrom',
        args: [sold.owner.address, devAccount('user').address, sold.agentId],
      }),
    })
    // A gateway that lies about one file (the bytes no longer hash to the CID).
    const lyingGateway: FetchFile = async (uri) => {
      const bytes = await gateway(uri)
      if (uri !== `ipfs://${forged.cid}`) return bytes
      const text = new TextDecoder().decode(bytes).replace(manifest.rollup.rpcUrl, 'http://evil.example')
      return new TextEncoder().encode(text)
    }
    expect(contentMatchesCid(seller.cid, await gateway(`ipfs://${seller.cid}`))).toBe(true)

    const found = await discoverAgents(publicClient, {
      chainId: foundry.id,
      identity,
      kind: SERVICE_KINDS.rollupRpc,
      fetchFile: lyingGateway,
    })
    const byId = new Map(found.map((a) => [a.agentId, a]))
    expect(byId.has(chatty.agentId)).toBe(false) // no rollup RPC service
    expect(byId.get(seller.agentId)).toMatchObject({ verified: true, problems: [], agentWallet: seller.owner.address })
    expect(byId.get(seller.agentId)?.file?.services[0]).toEqual(rpc)
    expect(byId.get(forged.agentId)).toMatchObject({ verified: false, problems: ['the file does not match its CID'] })
    expect(byId.get(sold.agentId)).toMatchObject({ verified: false, problems: ['no proven wallet'] })

    // The same file under another agent's id does not name that agent.
    const copycat = privateKeyToAccount(generatePrivateKey())
    await publicClient.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: copycat.address, value: parseEther('1') }),
    })
    const receipt = await send(copycat, registerAgentCall(identity, { agentURI: `ipfs://${seller.cid}` }))
    const [log] = await publicClient.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      blockHash: receipt.blockHash,
      strict: true,
    })
    const again = await discoverAgents(publicClient, {
      chainId: foundry.id,
      identity,
      kind: 'rollup-rpc',
      fetchFile: gateway,
    })
    expect(again.find((a) => a.agentId === log!.args.agentId)).toMatchObject({
      verified: false,
      problems: ['the file does not name this agent'],
    })
  })
})
