/** `rollup-lite node --batch-*` flags → attachBatcher options (the sequencer key comes from the env). */
import { type Address, createPublicClient, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { AttachBatcherOptions } from './attach.ts'
import { loadNativeKzg } from './native-kzg.ts'

export async function batcherOptions(
  values: Record<string, string | boolean | undefined>,
): Promise<AttachBatcherOptions> {
  const l1RpcUrl = values['batch-l1'] as string
  const inbox = values['batch-inbox'] as Address | undefined
  const key = process.env.SEQUENCER_KEY as Hex | undefined
  if (!inbox || !key) throw new Error('--batch-l1 needs --batch-inbox and the SEQUENCER_KEY environment variable')
  const l1ChainId = await createPublicClient({ transport: http(l1RpcUrl) }).getChainId()
  return {
    l1RpcUrl,
    l1ChainId,
    inbox,
    account: privateKeyToAccount(key),
    ipfsUrl: values['batch-ipfs'] as string | undefined,
    kzg: loadNativeKzg(),
    policy: { maxChannelDurationMs: Number(values['batch-max-wait'] ?? 60_000) },
    intervalMs: 1_000,
    log: (e) => {
      if (e.type === 'waiting' && !e.reason.startsWith('error')) return
      console.log(JSON.stringify({ event: `batch.${e.type}`, ...e }, (_, v) => (typeof v === 'bigint' ? `${v}` : v)))
    },
  }
}
