/**
 * `seed-operator join`: takes a slot in a bounty as an ERC-8004 agent, registering one first when the key
 * owns none (the registrant is the agent's wallet: where the escrow pays).
 */
import {
  IdentityRegistryAbi,
  joinBountyCall,
  listAgents,
  readBounty,
  readBountySlot,
  registerAgentCall,
} from '@seed/contracts'
import { type Account, type Address, type Chain, type Client, isAddressEqual, type Transport } from 'viem'
import { getContractEvents, sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import { OperatorError } from './errors.ts'

export async function joinBounty(
  client: Client<Transport, Chain, Account>,
  p: { escrow: Address; identity: Address; bountyId: bigint; agentId?: bigint; agentURI?: string },
): Promise<{ agentId: bigint; registered: boolean; payee: Address }> {
  const send = async (call: { to: Address; data: `0x${string}` }) => {
    const hash = await sendTransaction(client, { ...call, account: client.account, chain: client.chain })
    const receipt = await waitForTransactionReceipt(client, { hash })
    if (receipt.status !== 'success') throw new OperatorError('transaction reverted', { details: hash })
    return receipt
  }
  const bounty = await readBounty(client, { escrow: p.escrow, bountyId: p.bountyId })
  if (bounty.closing) throw new OperatorError(`bounty ${p.bountyId} is closing`)
  let agentId = p.agentId
  let registered = false
  if (agentId === undefined) {
    const own = (await listAgents(client, { identity: p.identity })).find((a) =>
      isAddressEqual(a.owner, client.account.address),
    )
    agentId = own?.agentId
  }
  if (agentId === undefined) {
    const receipt = await send(registerAgentCall(p.identity, { agentURI: p.agentURI }))
    const [log] = await getContractEvents(client, {
      address: p.identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      blockHash: receipt.blockHash,
      args: { owner: client.account.address },
      strict: true,
    })
    if (!log) throw new OperatorError('registered, but the Registered event is missing')
    agentId = log.args.agentId
    registered = true
  }
  const existing = await readBountySlot(client, { escrow: p.escrow, bountyId: p.bountyId, agentId })
  if (!existing) {
    if (bounty.operators >= bounty.maxOperators) throw new OperatorError(`bounty ${p.bountyId} is full`)
    await send(joinBountyCall(p.escrow, { bountyId: p.bountyId, agentId }))
  }
  const slot = await readBountySlot(client, { escrow: p.escrow, bountyId: p.bountyId, agentId })
  return { agentId, registered, payee: slot!.payee }
}
