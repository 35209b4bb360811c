/**
 * Feedback as a reader should count it (decision 0801): every entry listed, each checked for a proof of
 * payment (its feedback file's `proofOfPayment`, verified on chain; one payment backs one entry), and the
 * summary of the paid ones next to the summary of all. Unpaid feedback costs nothing to give, so it is no
 * evidence. The wallet and the web app both count this way.
 */
import type { Address, Chain, Client, Transport } from 'viem'
import type { FetchFile } from './discoverAgents.ts'
import { parseFeedbackFile } from './feedbackFile.ts'
import { cidOfUri } from './ipfsCid.ts'
import { type FeedbackEntry, listFeedback, summarizeFeedback } from './listFeedback.ts'
import { onePaymentOneFeedback, type PaymentCheck, verifyProofOfPayment } from './verifyProofOfPayment.ts'

export type CheckedFeedback = { entry: FeedbackEntry; check: PaymentCheck }

/** One entry's payment: its `ipfs://` feedback file read through `fetchFile`, its proof checked on chain. */
export async function checkFeedbackPayment(
  client: Client<Transport, Chain | undefined>,
  p: { entry: FeedbackEntry; agentWallet: Address | undefined; chainId: number; fetchFile: FetchFile },
): Promise<CheckedFeedback> {
  const { entry, agentWallet } = p
  if (!agentWallet || !cidOfUri(entry.feedbackURI)) return { entry, check: { paid: false, reason: 'no proof' } }
  try {
    const file = parseFeedbackFile(await p.fetchFile(entry.feedbackURI))
    const check = await verifyProofOfPayment(client, {
      proof: file.proofOfPayment,
      giver: entry.clientAddress,
      agentWallet,
      chainId: p.chainId,
    })
    return { entry, check }
  } catch {
    return { entry, check: { paid: false, reason: 'no proof' } }
  }
}

/** The feedback `agentId` received, each entry checked, with the summaries of all and of the paid entries. */
export async function paidFeedback(
  client: Client<Transport, Chain | undefined>,
  p: {
    reputation: Address
    agentId: bigint
    agentWallet: Address | undefined
    chainId: number
    fetchFile: FetchFile
    fromBlock?: bigint
  },
) {
  const entries = await listFeedback(client, { reputation: p.reputation, agentId: p.agentId, fromBlock: p.fromBlock })
  return checkFeedbackEntries(client, entries, p)
}

/** Entries already listed (in block windows, say), each checked, with the summaries of all and of the paid. */
export async function checkFeedbackEntries(
  client: Client<Transport, Chain | undefined>,
  entries: readonly FeedbackEntry[],
  p: { agentWallet: Address | undefined; chainId: number; fetchFile: FetchFile },
) {
  const checked = onePaymentOneFeedback(
    await Promise.all(entries.map((entry) => checkFeedbackPayment(client, { ...p, entry }))),
  )
  return {
    entries: checked,
    all: summarizeFeedback(checked.map((c) => c.entry)),
    paid: summarizeFeedback(checked.filter((c) => c.check.paid).map((c) => c.entry)),
  }
}
