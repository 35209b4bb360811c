/**
 * Reputation as the wallet counts it (decision 0801): every feedback entry is listed, but summaries count
 * only entries whose feedback file carries a proof of payment that checks out on chain (the transaction
 * paid the agent's wallet, from the giver; one payment backs one entry). Unpaid feedback costs nothing to
 * give, so it is no evidence.
 */
import {
  type CheckedFeedback,
  checkFeedbackPayment,
  listFeedback,
  MAX_FEEDBACK_FILE_BYTES,
  paidFeedback,
  readAgent,
  type summarizeFeedback,
} from '@seed/contracts'
import { type Address, formatUnits } from 'viem'
import type { FeedbackView, ReputationView } from '../../core/protocol.ts'
import { l1Client } from '../account/clients.ts'
import { fetchAgentFile } from './files.ts'
import { activeRegistries } from './registries.ts'

const fetchFeedbackFile = (uri: string) => fetchAgentFile(uri, MAX_FEEDBACK_FILE_BYTES)

function feedbackView({ entry, check: paid }: CheckedFeedback): FeedbackView {
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

const summary = (s: ReturnType<typeof summarizeFeedback>) => ({
  count: s.count,
  value: formatUnits(s.value, s.valueDecimals),
})

/** Feedback an agent received, each checked for payment, with the summary of all and of the paid ones. */
export async function reputationOf(agentId: bigint): Promise<ReputationView> {
  const [client, { identity, reputation }] = await Promise.all([l1Client(), activeRegistries()])
  const wallet = await readAgent(client, { identity, agentId }).then(
    (a) => a.agentWallet,
    () => undefined,
  )
  const { entries, all, paid } = await paidFeedback(client, {
    reputation,
    agentId,
    agentWallet: wallet,
    chainId: client.chain.id,
    fetchFile: fetchFeedbackFile,
  })
  return {
    agentId: agentId.toString(),
    all: summary(all),
    paid: summary(paid),
    entries: entries.map(feedbackView),
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
      return feedbackView(
        await checkFeedbackPayment(client, {
          entry,
          agentWallet: wallet,
          chainId: client.chain.id,
          fetchFile: fetchFeedbackFile,
        }),
      )
    }),
  )
}
