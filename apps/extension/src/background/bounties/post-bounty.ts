/**
 * `bounties.post` (issue 17, decision 0802): the wallet posts a bounty for its own chain (the inbox its
 * batcher posts to) to Seed's escrow, in Seed USD. Approve + `post` are ONE user op through the action
 * pipeline as the caller's send: the policy counts the funds as a spend of Seed USD (decodeSpend sees the
 * post), its caps, budget and approval threshold apply as to any send. The bounty is then the payer's to
 * watch (pay-epochs.ts).
 */
import type { BountyPosted, PostBountyParams } from '@seed/agent/api'
import { BOUNTY_KINDS, postBountyCall, SeedBountyEscrowAbi, seedBountyEscrow } from '@seed/contracts'
import { encodeFunctionData, erc20Abi, isAddressEqual, parseEventLogs, parseUnits } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import { send } from '../../core/messenger.ts'
import { stored } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'
import { sendToEscrow } from './escrow-send.ts'

const USD_DECIMALS = 6
/** SeedBountyEscrow.MAX_OPERATORS. */
const MAX_OPERATORS = 64
const MAX_EPOCH_SECONDS = 366 * 86_400

const usdAmount = (value: unknown, what: string) => {
  if (typeof value !== 'string' || !/^\d{1,12}(\.\d{1,6})?$/.test(value))
    throw invalidParams(`bounties.post: ${what}, Seed USD as a decimal string (at most 6 decimals)`)
  return parseUnits(value, USD_DECIMALS)
}
const integer = (value: unknown, what: string, min: number, max: number) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidParams(`bounties.post: ${what}, an integer from ${min} to ${max}`)
  return value
}

export function parsePostBountyParams(params: unknown): PostBountyParams {
  const p = (params ?? {}) as Record<string, unknown>
  if (!BOUNTY_KINDS.includes(p.kind as never))
    throw invalidParams(`bounties.post: kind, one of ${BOUNTY_KINDS.join(', ')}`)
  const price = usdAmount(p.pricePerEpoch, 'pricePerEpoch')
  const funds = usdAmount(p.funds, 'funds')
  const maxOperators = integer(p.maxOperators, 'maxOperators', 1, MAX_OPERATORS)
  if (price === 0n) throw invalidParams('bounties.post: pricePerEpoch must be above 0')
  // The escrow's rule, said before anything is signed: each slot must hold at least one epoch.
  if (funds / BigInt(maxOperators) < price)
    throw invalidParams('bounties.post: funds must give each of the maxOperators slots at least one epoch')
  return {
    kind: p.kind as PostBountyParams['kind'],
    pricePerEpoch: p.pricePerEpoch as string,
    epochSeconds: integer(p.epochSeconds, 'epochSeconds', 1, MAX_EPOCH_SECONDS),
    maxOperators,
    funds: p.funds as string,
  }
}

export async function postBounty(caller: ResolvedCaller, p: PostBountyParams): Promise<BountyPosted> {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  // The bounty is for the wallet's own chain: the inbox its batcher posts to.
  await ensureOffscreen()
  const batching = await send('rollup:batching', undefined)
  if (!batching.enabled)
    throw new ProviderRpcError(ErrorCode.unauthorized, 'Start batching first: a bounty names the inbox of the chain.')
  const escrow = seedBountyEscrow()
  const token = (await getDevnetConfig()).contracts.usd
  const funds = parseUnits(p.funds, USD_DECIMALS)
  const { tx, logs, blockNumber } = await sendToEscrow(caller, [
    { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [escrow, funds] }) },
    postBountyCall(escrow, {
      kind: p.kind,
      inbox: batching.inbox,
      token,
      pricePerEpoch: parseUnits(p.pricePerEpoch, USD_DECIMALS),
      epochLength: BigInt(p.epochSeconds),
      maxOperators: p.maxOperators,
      funds,
    }),
  ])
  const posted = parseEventLogs({ abi: SeedBountyEscrowAbi, eventName: 'BountyPosted', logs }).find(
    (log) => isAddressEqual(log.address, escrow) && isAddressEqual(log.args.poster, info.smartAccount),
  )
  if (!posted) throw new ProviderRpcError(ErrorCode.internal, 'The bounty transaction did not post a bounty.')
  const bountyId = posted.args.bountyId.toString()
  const bounties = await stored.bounties.get()
  await stored.bounties.set({
    ...bounties,
    [bountyId]: {
      bountyId,
      escrow,
      postTx: tx,
      fromBlock: blockNumber.toString(),
      postedAt: Date.now(),
      slots: {},
    },
  })
  return { bountyId, escrow, tx }
}
