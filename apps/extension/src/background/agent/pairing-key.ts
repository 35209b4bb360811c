/**
 * A pairing's on-chain half (decision 0605). Approving a pairing installs a SeedAccount session key
 * for it on L1, bounded like its grant: the ETH budget as the session's value limit over its whole
 * life, the allowed targets (any function of them), the USD budget when the USD token is a target,
 * the expiry. It is an ERC-7715 grant held by `agent:<name>`: the same sealed key, install op,
 * signer and revocation op as a dApp's grant (decisions 0207, 0208), run through the one pipeline as
 * an admin action. The agent's L1 sends within its thresholds are signed by that key (act.ts), so the
 * account refuses what lies past the bounds even when the wallet's own checks were bypassed.
 *
 * Where the chain cannot bound the pairing, its details say so and the pipeline alone enforces it:
 * a grant with no allowed targets (SeedAccount scopes a session by target), the rollup account (a
 * plain derived key, decision 0401), and signatures (x402 authorizations are signed by the owner).
 */
import { type Address, getAddress, isAddressEqual, parseEther, parseUnits } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { getDevnetConfig } from '../../core/config.ts'
import type { GrantPermission, Pairing, PairingSession } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { sealKey } from '../../rollup/sealed-key.ts'
import { accountService } from '../account/account.ts'
import { executeRequest } from '../actions/requests.ts'
import { getRequest, runPreApproved } from '../approvals/approvals.ts'
import { grantContext } from '../grants/grants.ts'
import type { PreparedGrantRequest } from '../grants/install-grant.ts'
import { revokeGrant } from '../grants/revoke-grant.ts'
import { DEFAULT_GRANT_GAS_BUDGET } from '../grants/session-scope.ts'

const USD_DECIMALS = 6

export const NO_TARGETS_REASON =
  'No on-chain key: the grant allows any target, and a SeedAccount session is scoped by target. Its limits are enforced by the wallet only.'

async function savePairingSession(id: string, session: PairingSession) {
  const pairings = await stored.pairings.get()
  const pairing = pairings[id]
  if (!pairing) return undefined
  const updated = { ...pairing, session }
  await stored.pairings.set({ ...pairings, [id]: updated })
  return updated
}

/** The session's scope as ERC-7715 permissions: a value allowance over the targets, and the USD one if USD is a target. */
function permissionsOf(pairing: Pairing, usd: Address | undefined): GrantPermission[] {
  const targets = pairing.grant.allowedTargets.map((t) => getAddress(t))
  const permissions: GrantPermission[] = [
    { type: 'native-token-allowance', amount: parseEther(pairing.grant.budgetEth).toString(), targets, calls: 'any' },
  ]
  if (usd && targets.some((t) => isAddressEqual(t, usd))) {
    permissions.push({
      type: 'erc20-token-allowance',
      tokenAddress: getAddress(usd),
      amount: parseUnits(pairing.grant.budgetUsd, USD_DECIMALS).toString(),
      symbol: 'USDS',
      decimals: USD_DECIMALS,
    })
  }
  return permissions
}

/** Pairings whose install runs in this worker now (memory: a restarted worker resumes from the record). */
const installing = new Set<string>()

const failedReason = (error: unknown) =>
  `No on-chain key yet: installing it failed (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}). It is tried again on the agent's next action and at unlock; until then the wallet alone enforces the grant.`

/** The install op of `prepared`, through the pipeline as an approved admin action (the same id resumes it). */
async function runInstall(pairing: Pairing, requestId: string, prepared: PreparedGrantRequest) {
  await runPreApproved(
    {
      id: requestId,
      origin: `agent:${pairing.name}`,
      method: prepared.method,
      params: [prepared],
      chainId: prepared.chainId,
    },
    executeRequest,
  )
  const { sessionKey } = prepared.grants[0]!
  const updated = await savePairingSession(pairing.id, {
    status: 'active',
    context: grantContext(prepared.account, sessionKey),
    sessionKey,
  })
  // Revoked while its key was on its way: the key it got is ended on-chain too.
  if (updated?.revokedAt) await revokePairingKey(pairing.id)
  return updated ?? pairing
}

/**
 * Installs the pairing's session key (the person approved it with the pairing, so no second window)
 * and records the outcome on the pairing. The pairing says `installing` while the op is on its way, so
 * an install cut off by a worker restart is resumed (`resumePairingKey`); a failed one leaves it bounded
 * by the wallet alone for now, says why, and is tried again.
 */
export async function installPairingKey(pairing: Pairing): Promise<Pairing> {
  if (!pairing.grant.allowedTargets.length) {
    return (await savePairingSession(pairing.id, { status: 'none', reason: NO_TARGETS_REASON })) ?? pairing
  }
  if (installing.has(pairing.id)) return pairing
  installing.add(pairing.id)
  try {
    const info = await accountService.info()
    if (!info) throw new Error('no account yet')
    const config = await getDevnetConfig()
    const key = generatePrivateKey()
    const sessionKey = privateKeyToAddress(key)
    const prepared: PreparedGrantRequest = {
      method: 'wallet_requestExecutionPermissions',
      account: getAddress(info.smartAccount),
      chainId: config.l1.chainId,
      grants: [
        {
          permissions: permissionsOf(pairing, config.contracts.usd),
          period: 0,
          startTime: Math.floor(Date.now() / 1000),
          expiry: Math.floor(pairing.grant.expiresAt / 1000),
          gasBudget: DEFAULT_GRANT_GAS_BUDGET.toString(),
          requested: {},
          sessionKey,
          sealedKey: await sealKey(key),
        },
      ],
    }
    // A fresh id per attempt: a failed attempt's record must not answer for the next one.
    const requestId = `pairing-key:${pairing.id}:${crypto.randomUUID()}`
    await savePairingSession(pairing.id, { status: 'installing', requestId })
    return await runInstall(pairing, requestId, prepared)
  } catch (error) {
    return (
      (await savePairingSession(pairing.id, { status: 'none', reason: failedReason(error), retry: true })) ?? pairing
    )
  } finally {
    installing.delete(pairing.id)
  }
}

/**
 * An install that did not finish is finished or tried again: on the agent's next action (act.ts) and
 * at unlock (the install is an owner op, so it needs the wallet unlocked). One cut off by a worker
 * restart is resumed from its request record (its journaled op is re-sent, not a second key made);
 * one whose record is gone (a browser restart) or that failed is installed afresh.
 */
export async function resumePairingKey(pairingId: string): Promise<void> {
  const pairing = (await stored.pairings.get())[pairingId]
  if (!pairing || pairing.revokedAt || pairing.grant.expiresAt <= Date.now() || installing.has(pairing.id)) return
  const session = pairing.session
  const unfinished = !session || session.status === 'installing' || (session.status === 'none' && session.retry)
  if (!unfinished || !(await accountService.isUnlocked())) return
  const record = session?.status === 'installing' ? await getRequest(session.requestId) : undefined
  if (record && record.status !== 'failed' && record.status !== 'rejected') {
    installing.add(pairing.id)
    try {
      await runInstall(pairing, record.id, (record.params as [PreparedGrantRequest])[0])
    } catch (error) {
      await savePairingSession(pairing.id, { status: 'none', reason: failedReason(error), retry: true })
    } finally {
      installing.delete(pairing.id)
    }
    return
  }
  await installPairingKey(pairing)
}

/** At unlock: every live pairing whose key install did not finish. */
export async function resumePairingKeys() {
  for (const id of Object.keys(await stored.pairings.get())) {
    await resumePairingKey(id).catch((error) => console.warn(`pairing ${id}: key install`, error))
  }
}

/** Ends the pairing's session on-chain (an owner op through the pipeline); the pairing was refused locally first. */
export async function revokePairingKey(id: string) {
  const session = (await stored.pairings.get())[id]?.session
  if (session?.status !== 'active') return
  await revokeGrant(session.context)
  await savePairingSession(id, { ...session, status: 'revoked' })
}
