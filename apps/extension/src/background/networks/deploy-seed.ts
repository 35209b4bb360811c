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
import { type Address, formatEther, type Hex, keccak256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { activeNetwork, getDevnetConfig } from '../../core/config.ts'
import type { SeedStatus } from '../../core/protocol.ts'
import type { SeedDeploymentJournal } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { l1Client } from '../account/clients.ts'
import { ensureNetworkAccount, LockedError } from '../account/seed-account.ts'
import { recordActivity } from '../actions/activity.ts'
import { actions, PolicyDeniedError, reserve } from '../actions/policy.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'

export class SeedDeploymentError extends SeedAaError {
  override name = 'SeedDeploymentError'
}

type L1 = Awaited<ReturnType<typeof l1Client>>

/** The deployer calls for what is missing (each with its static gas limit, valid on any chain). */
async function missingCalls(client: L1): Promise<SeedDeploymentCall[]> {
  return seedDeploymentCalls(await findMissingSeedContracts(client))
}

const gasOf = (calls: readonly SeedDeploymentCall[]) => calls.reduce((sum, c) => sum + c.gas, 0n)

/** The networks screen's view: the prerequisite, what is missing, the cost and who pays. */
export async function seedStatus(): Promise<SeedStatus> {
  try {
    const client = await l1Client()
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

/**
 * Signs one tx per missing contract (consecutive nonces) and journals them before anything is sent.
 * Each is its own action: the policy's gas cap is per transaction, and each counts against the
 * budgets with its own fee (a settled deployment's fees show in "Spent in the last 24 h").
 */
async function signDeployment(client: L1, key: Hex): Promise<SeedDeploymentJournal> {
  const owner = privateKeyToAccount(key)
  const calls = await missingCalls(client)
  const { chainId } = (await getDevnetConfig()).l1
  const { maxFeePerGas, maxPriorityFeePerGas } = await client.estimateFeesPerGas()
  const nonce = await client.getTransactionCount({ address: owner.address, blockTag: 'pending' })
  const id = crypto.randomUUID()
  const txs: SeedDeploymentJournal['txs'] = []
  try {
    for (const [i, call] of calls.entries()) {
      const reservation = `deploy:${id}:${i}`
      const action = deploymentAction(owner.address, call)
      await reserve(reservation, action)
      txs.push({ name: call.name, reservation, hash: '0x', raw: '0x', sent: false })
      await reserve(reservation, { ...action, fee: { gas: call.gas, maxFeePerGas } })
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
      txs[i] = { ...txs[i]!, raw, hash: keccak256(raw) }
    }
  } catch (error) {
    for (const tx of txs) await actions.release(tx.reservation)
    throw error
  }
  const journal = { txs }
  await stored.seedDeployment.set(journal)
  return journal
}

const deploymentAction = (payer: Address, call: SeedDeploymentCall): Action => ({
  requestedBy: 'Seed',
  account: payer,
  calls: [{ to: call.to, value: 0n, data: call.data }],
  note: `deploy Seed's ${call.name}`,
})

/**
 * Sends the journaled txs in nonce order (after a restart, the same signed txs again: each lands
 * once) and settles each at the fee it paid. A tx the node refuses before any later one was sent
 * is dropped with its reservation, and so are those after it (their nonces follow it).
 */
async function submitDeployment(client: L1, payer: Address, journal: SeedDeploymentJournal) {
  for (const [i, tx] of journal.txs.entries()) {
    try {
      await client.sendRawTransaction({ serializedTransaction: tx.raw })
    } catch (error) {
      if (tx.sent) continue // already known or mined: its receipt still comes
      const unsent = journal.txs.slice(i)
      for (const dropped of unsent) await actions.release(dropped.reservation)
      journal.txs = journal.txs.slice(0, i)
      await (journal.txs.length ? stored.seedDeployment.set(journal) : stored.seedDeployment.remove())
      const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message
      throw new SeedDeploymentError(`Deploying ${tx.name} was refused: ${reason}`, { cause: error })
    }
    journal.txs[i] = { ...tx, sent: true }
    await stored.seedDeployment.set(journal)
  }
  for (const tx of journal.txs) {
    const receipt = await client.waitForTransactionReceipt({ hash: tx.hash, timeout: 120_000 })
    const feePaid = receipt.gasUsed * receipt.effectiveGasPrice
    await actions.settle(tx.reservation, { requestedBy: 'Seed', account: payer, calls: [], feePaid })
    if (receipt.status !== 'success') {
      await stored.seedDeployment.remove() // it ran and paid its fee: over (a retry signs anew)
      throw new SeedDeploymentError(`Deploying ${tx.name} reverted (tx ${tx.hash}).`)
    }
  }
  // Only now: a receipt that did not come in time leaves the journal for the next click to finish.
  await stored.seedDeployment.remove()
}

/** Deploys what is missing (or finishes the journaled deployment), then records the account on this network. */
export async function deploySeed(): Promise<SeedStatus> {
  const session = await stored.unlocked.get()
  if (!session) throw new LockedError()
  const client = await l1Client()
  const payer = privateKeyToAccount(session.privateKey).address
  const { chainId } = (await getDevnetConfig()).l1
  let journal = await stored.seedDeployment.get()
  if (!journal) {
    // Nothing in flight: reservations left by a worker that died before journaling are given back.
    for (const id of await actions.reservations()) if (id.startsWith('deploy:')) await actions.release(id)
    try {
      journal = await signDeployment(client, session.privateKey)
    } catch (error) {
      if (error instanceof PolicyDeniedError) {
        const summary = `Refused to deploy Seed's contracts: ${error.message}`
        await recordActivity({ kind: 'deploy', origin: 'Seed', chainId, summary, status: 'failed' })
      }
      throw error
    }
  }
  await submitDeployment(client, payer, journal)
  if (journal.txs.length) {
    await recordActivity({
      kind: 'deploy',
      origin: 'Seed',
      chainId,
      summary: `Deployed Seed's contracts: ${journal.txs.map((t) => t.name).join(', ')}`,
      hash: journal.txs.at(-1)?.hash,
      status: 'success',
    })
  }
  await ensureNetworkAccount()
  void ensureOffscreen().catch(() => {}) // the agent's rollup on this network starts with its account
  return seedStatus()
}
