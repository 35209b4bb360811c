/**
 * Pairings with external agents (decision 0600): an offer arrives over a bridge connection, the person
 * sees its name and code in the popup and approves it with a grant (or rejects it); each offer is
 * decided once. A pairing is listed, and revoked at once: its socket closes, its pending approvals
 * are rejected, and its next call is refused (caller.ts reads the record on every call).
 */

import { pairMessage } from '@seed/agent/bridge-protocol'
import { type Address, type Hex, verifyMessage } from 'viem'
import { type Pairing, type PairingGrant, type PairingOffer, stored } from '../../core/storage.ts'
import { executeRequest } from '../actions/requests.ts'
import { decide, pendingRequests } from '../approvals/approvals.ts'
import { validateGrant } from './pairing-grant.ts'

const MAX_NAME = 40
/** An offer left undecided this long is void. */
const OFFER_TTL_MS = 10 * 60_000

export class PairingError extends Error {
  override name = 'PairingError'
  get shortMessage() {
    return this.message
  }
}

/** Checks a bridge's offer against the nonce this connection sent, and keeps it for the person's decision. */
export async function receiveOffer(
  bridgeUrl: string,
  nonce: Hex,
  offer: { name: unknown; agentAddress: unknown; signature: unknown },
): Promise<PairingOffer> {
  const name = typeof offer.name === 'string' ? offer.name.trim().slice(0, MAX_NAME) : ''
  if (!/^[\w .-]+$/.test(name)) throw new PairingError('A pairing name is letters, digits, spaces, dots and dashes')
  const agentAddress = offer.agentAddress as Address
  const valid =
    typeof offer.signature === 'string' &&
    typeof agentAddress === 'string' &&
    (await verifyMessage({
      address: agentAddress,
      message: pairMessage(nonce),
      signature: offer.signature as Hex,
    }).catch(() => false))
  if (!valid) throw new PairingError('The pairing offer is not signed for this connection')
  const pairings = Object.values(await stored.pairings.get())
  if (pairings.some((p) => !p.revokedAt && p.name === name))
    throw new PairingError(`An agent named "${name}" is already paired`)
  const record: PairingOffer = {
    id: crypto.randomUUID(),
    name,
    bridgeUrl,
    agentAddress,
    at: Date.now(),
    status: 'pending',
  }
  const offers = await stored.pairingOffers.get()
  for (const [id, o] of Object.entries(offers)) if (Date.now() - o.at > OFFER_TTL_MS) delete offers[id]
  await stored.pairingOffers.set({ ...offers, [record.id]: record })
  return record
}

/** The person's decision on an offer: exactly once (a replayed decision or code finds it decided). */
export async function decideOffer(offerId: string, grant: PairingGrant | undefined): Promise<Pairing | undefined> {
  const offers = await stored.pairingOffers.get()
  const offer = offers[offerId]
  if (offer?.status !== 'pending' || Date.now() - offer.at > OFFER_TTL_MS) {
    throw new PairingError('This pairing offer was already decided or has expired: start pairing again')
  }
  if (grant) validateGrant(grant)
  await stored.pairingOffers.set({ ...offers, [offerId]: { ...offer, status: grant ? 'approved' : 'rejected' } })
  if (!grant) return undefined
  const pairing: Pairing = {
    id: crypto.randomUUID(),
    name: offer.name,
    bridgeUrl: offer.bridgeUrl,
    agentAddress: offer.agentAddress,
    createdAt: Date.now(),
    grant,
  }
  await stored.pairings.set({ ...(await stored.pairings.get()), [pairing.id]: pairing })
  return pairing
}

export async function listPairings(): Promise<Pairing[]> {
  return Object.values(await stored.pairings.get()).sort((a, b) => b.createdAt - a.createdAt)
}

export async function activePairings(now = Date.now()) {
  return (await listPairings()).filter((p) => !p.revokedAt && p.grant.expiresAt > now)
}

/** Revokes at once: the record first (the next call is refused), then its pending approvals are rejected. */
export async function revokePairing(id: string) {
  const pairings = await stored.pairings.get()
  const pairing = pairings[id]
  if (!pairing) throw new PairingError('No such pairing')
  if (!pairing.revokedAt) await stored.pairings.set({ ...pairings, [id]: { ...pairing, revokedAt: Date.now() } })
  const origin = `agent:${pairing.name}`
  for (const request of await pendingRequests()) {
    if (request.origin === origin && request.status === 'pending') await decide(request.id, false, executeRequest)
  }
  return pairing
}
