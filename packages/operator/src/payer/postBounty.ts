/** Posts a bounty from the poster's key: approves the escrow for the funds, then `post`; answers its id. */
import { BountyError, type BountyTerms, postBountyCall, SeedBountyEscrowAbi, SeedUSDAbi } from '@seed/contracts'
import { type Account, type Address, type Chain, type Client, encodeFunctionData, type Transport } from 'viem'
import { getContractEvents, sendTransaction, waitForTransactionReceipt } from 'viem/actions'

export async function postBounty(
  client: Client<Transport, Chain, Account>,
  p: BountyTerms & { escrow: Address },
): Promise<{ bountyId: bigint }> {
  const send = async (call: { to: Address; data: `0x${string}` }) => {
    const hash = await sendTransaction(client, { ...call, account: client.account, chain: client.chain })
    const receipt = await waitForTransactionReceipt(client, { hash })
    if (receipt.status !== 'success') throw new BountyError('the bounty transaction reverted', { details: hash })
    return receipt
  }
  // Any ERC-20's approve: Seed USD's ABI carries the standard one.
  await send({
    to: p.token,
    data: encodeFunctionData({ abi: SeedUSDAbi, functionName: 'approve', args: [p.escrow, p.funds] }),
  })
  const receipt = await send(postBountyCall(p.escrow, p))
  const [log] = await getContractEvents(client, {
    address: p.escrow,
    abi: SeedBountyEscrowAbi,
    eventName: 'BountyPosted',
    args: { poster: client.account.address },
    blockHash: receipt.blockHash,
    strict: true,
  })
  if (!log) throw new BountyError('posted, but the BountyPosted event is missing')
  return { bountyId: log.args.bountyId }
}
