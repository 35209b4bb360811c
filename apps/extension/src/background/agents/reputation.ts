/**
 * Reputation as the wallet counts it (decision 0801): every feedback entry is listed, but summaries count
 * only entries whose feedback file carries a proof of payment that checks out on chain (the transaction
 * paid the agent's wallet, from the giver; one payment backs one entry). Unpaid feedback costs nothing to
 * give, so it is no evidence.
 */
import {
  type FeedbackEntry,
  listFeedback,
  MAX_FEEDBACK_FILE_BYTES,
  onePaymentOneFeedback,
  type PaymentCheck,
  parseFeedbackFile,
  readAgent,
  summarizeFeedback,
  verifyProofOfPayment,
} from '@seed/contracts'
import { type Address, formatUnits } from 'viem'
import type { FeedbackView, ReputationView } from '../../core/protocol.ts'
import { l1Client } from '../account/clients.ts'
import { fetchAgentFile } from './files.ts'
import { activeRegistries } from './registries.ts'

async function checkedEntry(entry: FeedbackEntry, agentWallet: Address | undefined) {
  const client = await l1Client()
  let paid: PaymentCheck = { paid: false, reason: 'no proof' }
  if (agentWallet && entry.feedbackURI.startsWith('ipfs://')) {
    try {
      const file = parseFeedbackFile(await fetchAgentFile(entry.feedbackURI, MAX_FEEDBACK_FILE_BYTES))
      paid = await verifyProofOfPayment(client, {
        proof: file.proofOfPayment,
        giver: entry.clientAddress,
        agentWallet,
        chainId: client.chain.id,
      })
    } catch {
      paid = { paid: false, reason: 'no proof' }
    }
  }
  return { entry, check: paid }
}

function feedbackView({ entry, check: paid }: { entry: FeedbackEntry; check: PaymentCheck }): FeedbackView {
  return {
    agentId: entry.agentId.toString(),
    clientAddress: entry.clientAddress,
    feedbackIndex: entry.feedbackIndex.toString(),
    value: formatUnits(entry.value, entry.valueDecimals),
    tag1: entry.tag1,
    tag2: entry.tag2,
    feedbackURI: entry.feedbackURI,
    revoked: entry.isRevoked,
    paid: paid.paid,
    ...(paid.paid ? {} : { unpaidReason: paid.reason }),
    responses: entry.responses.length,
  }
}

const summary = (entries: FeedbackEntry[]) => {
  const s = summarizeFeedback(entries)
  return { count: s.count, value: formatUnits(s.value, s.valueDecimals) }
}

/** Feedback an agent received, each checked for payment, with the summary of all and of the paid ones. */
export async function reputationOf(agentId: bigint): Promise<ReputationView> {
  const [client, { identity, reputation }] = await Promise.all([l1Client(), activeRegistries()])
  const wallet = await readAgent(client, { identity, agentId }).then(
    (a) => a.agentWallet,
    () => undefined,
  )
  const checked = onePaymentOneFeedback(
    await Promise.all((await listFeedback(client, { reputation, agentId })).map((e) => checkedEntry(e, wallet))),
  )
  return {
    agentId: agentId.toString(),
    all: summary(checked.map((c) => c.entry)),
    paid: summary(checked.filter((c) => c.check.paid).map((c) => c.entry)),
    entries: checked.map(feedbackView),
  }
}

/** Feedback `client` gave (to any agent), as the registry logs it. */
export async function feedbackGivenBy(client_: Address): Promise<FeedbackView[]> {
  const [client, { identity, reputation }] = await Promise.all([l1Client(), activeRegistries()])
  const entries = await listFeedback(client, { reputation, clientAddress: client_ })
  return Promise.all(
    entries.map(async (entry) => {
      const wallet = await readAgent(client, { identity, agentId: entry.agentId }).then(
        (a) => a.agentWallet,
        () => undefined,
      )
      return feedbackView(await checkedEntry(entry, wallet))
    }),
  )
}
