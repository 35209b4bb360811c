/**
 * The wallet deploys what is missing of Seed on the active network (decision 0431), through the one
 * action pipeline: decode (the deployer calls, their fee) → policy (reserved under the lock) →
 * approval (the person's click on the screen that shows what is missing and the cost) → journal
 * (the signed txs, before any leaves) → submit → settle at the fee really paid. The payer is the
 * owner's L1 key as an EOA: the smart account cannot pay, its factory is among what is missing.
 */
import { type Action, SeedAaError } from '@seed/aa'
import {
  estimateSeedDeploymentCost,
  findMissingSeedContracts,
  MissingPrerequisiteError,
  type SeedDeploymentCall,
  seedDeploymentCalls,
} from '@seed/contracts'
import { formatEther, type Hex, keccak256, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { activeNetwork, getDevnetConfig } from '../../core/config.ts'
import type { SeedStatus } from '../../core/protocol.ts'
import type { SeedDeploymentJournal } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { l1Client } from '../account/clients.ts'
import { ensureNetworkAccount, LockedError } from '../account/seed-account.ts'
import { recordActivity } from '../actions/activity.ts'
import { actions, PolicyDeniedError, reserve } from '../actions/policy.ts'

export class SeedDeploymentError extends SeedAaError {
  override name = 'SeedDeploymentError'
}

const l1 = async () => (await l1Client()) as PublicClient

/** The deployer calls for what is missing (each with its static gas limit, valid on any chain). */
async function missingCalls(client: PublicClient): Promise<SeedDeploymentCall[]> {
  return seedDeploymentCalls(await findMissingSeedContracts(client))
}

const gasOf = (calls: readonly SeedDeploymentCall[]) => calls.reduce((sum, c) => sum + c.gas, 0n)

/** The networks screen's view: the prerequisite, what is missing, the cost and who pays. */
export async function seedStatus(): Promise<SeedStatus> {
  try {
    const client = await l1()
    // The devnet's contracts are the stack's (its manifest): nothing for the wallet to deploy there.
    const missing = (await activeNetwork()).contracts ? [] : await findMissingSeedContracts(client)
    const status: SeedStatus = {
      entryPointV07: true,
      missing: missing.map((d) => d.name),
      inFlight: (await stored.seedDeployment.get()) !== undefined,
    }
    const session = await stored.unlocked.get()
    if (session && missing.length) {
      const payer = privateKeyToAccount(session.privateKey).address
      const [estimate, balance] = await Promise.all([
        estimateSeedDeploymentCost(client, missing),
        client.getBalance({ address: payer }),
      ])
      status.costEth = formatEther(estimate.wei)
      status.maxCostEth = formatEther(gasOf(seedDeploymentCalls(missing)) * estimate.maxFeePerGas)
      status.payer = payer
      status.payerBalanceEth = formatEther(balance)
    }
    return status
  } catch (error) {
    if (error instanceof MissingPrerequisiteError) {
      return {
        entryPointV07: !error.missing.includes('entryPointV07'),
        deployer: !error.missing.includes('create2Deployer'),
        missing: [],
      }
    }
    return { entryPointV07: false, missing: [], error: (error as Error).message }
  }
}

/** Signs every deployment tx (consecutive nonces) and journals them before anything is sent. */
async function signDeployment(client: PublicClient, key: Hex, reservation: string): Promise<SeedDeploymentJournal> {
  const owner = privateKeyToAccount(key)
  const calls = await missingCalls(client)
  if (!calls.length) return { reservation, txs: [] }
  const action: Action = {
    requestedBy: 'Seed',
    account: owner.address,
    calls: calls.map(({ to, data }) => ({ to, value: 0n, data })),
    note: `deploy Seed's contracts: ${calls.map((c) => c.name).join(', ')}`,
  }
  await reserve(reservation, action)
  const { chainId } = (await getDevnetConfig()).l1
  const { maxFeePerGas, maxPriorityFeePerGas } = await client.estimateFeesPerGas()
  const nonce = await client.getTransactionCount({ address: owner.address, blockTag: 'pending' })
  // Re-checked with its fee now that it is known: the fee counts against the ETH budget like any spend.
  await reserve(reservation, { ...action, fee: { gas: gasOf(calls), maxFeePerGas } })
  const txs = await Promise.all(
    calls.map(async (call, i) => {
      const raw = await owner.signTransaction({
        type: 'eip1559',
        chainId,
        nonce: nonce + i,
        to: call.to,
        data: call.data,
        gas: call.gas,
        maxFeePerGas,
        maxPriorityFeePerGas,
      })
      return { names: [call.name], raw, hash: keccak256(raw) }
    }),
  )
  const journal = { reservation, txs }
  await stored.seedDeployment.set(journal)
  return journal
}

/** Sends the journaled txs (again, after a restart: the same signed txs land once) and waits for each. */
async function submitDeployment(client: PublicClient, journal: SeedDeploymentJournal) {
  let feePaid = 0n
  for (const tx of journal.txs ?? []) {
    await client.sendRawTransaction({ serializedTransaction: tx.raw }).catch(() => {
      // Already known or already mined (a re-send after a restart): its receipt still comes.
    })
  }
  for (const tx of journal.txs ?? []) {
    const receipt = await client.waitForTransactionReceipt({ hash: tx.hash, timeout: 120_000 })
    feePaid += receipt.gasUsed * receipt.effectiveGasPrice
    if (receipt.status !== 'success') {
      await actions.settle(journal.reservation)
      await stored.seedDeployment.remove()
      throw new SeedDeploymentError(`Deploying ${tx.names.join(', ')} reverted (tx ${tx.hash}).`)
    }
  }
  return feePaid
}

/** Deploys what is missing (or finishes the journaled deployment), then records the account on this network. */
export async function deploySeed(): Promise<SeedStatus> {
  const session = await stored.unlocked.get()
  if (!session) throw new LockedError()
  const client = await l1()
  const payer = privateKeyToAccount(session.privateKey).address
  const { chainId } = (await getDevnetConfig()).l1
  let journal = await stored.seedDeployment.get()
  if (!journal) {
    const reservation = `deploy:${crypto.randomUUID()}`
    try {
      journal = await signDeployment(client, session.privateKey, reservation)
    } catch (error) {
      await actions.release(reservation)
      if (error instanceof PolicyDeniedError) {
        const summary = `Refused to deploy Seed's contracts: ${error.message}`
        await recordActivity({ kind: 'deploy', origin: 'Seed', chainId, summary, status: 'failed' })
      }
      throw error
    }
  }
  const feePaid = await submitDeployment(client, journal)
  await actions.settle(journal.reservation, { requestedBy: 'Seed', account: payer, calls: [], feePaid })
  await stored.seedDeployment.remove()
  if (journal.txs?.length) {
    await recordActivity({
      kind: 'deploy',
      origin: 'Seed',
      chainId,
      summary: `Deployed Seed's contracts: ${journal.txs.flatMap((t) => t.names).join(', ')}`,
      hash: journal.txs.at(-1)?.hash,
      status: 'success',
    })
  }
  await ensureNetworkAccount()
  return seedStatus()
}
