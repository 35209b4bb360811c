/**
 * A VoucherStore in one JSON file (Node): every save rewrites the file as a temporary file, fsyncs it,
 * renames it over the old one and fsyncs the directory, so a crash leaves the old or the new file, never a
 * torn one. Saves that arrive while a write is in flight share the next write (group commit): under voucher
 * load the cost is one fsync per flight, not per voucher.
 */
import { open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Hex } from 'viem'
import type { StoredVoucher, VoucherStore } from './voucherStore.ts'

type FileShape = Record<string, { cumulative: string; signature: Hex }>

export function createFileVoucherStore(path: string): VoucherStore {
  let vouchers: Map<string, StoredVoucher> | undefined
  let writing: Promise<void> | undefined
  let next: Promise<void> | undefined

  const read = async () => {
    if (vouchers) return vouchers
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '{}'
      throw error
    })
    const loaded = new Map<string, StoredVoucher>()
    for (const [key, v] of Object.entries(JSON.parse(text) as FileShape)) {
      loaded.set(key, { cumulative: BigInt(v.cumulative), signature: v.signature })
    }
    vouchers ??= loaded
    return vouchers
  }

  const write = async () => {
    const shape: FileShape = {}
    for (const [key, v] of await read()) shape[key] = { cumulative: v.cumulative.toString(), signature: v.signature }
    const temporary = `${path}.${process.pid}.tmp`
    const file = await open(temporary, 'w')
    try {
      await file.writeFile(JSON.stringify(shape))
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temporary, path)
    const directory = await open(dirname(path), 'r')
    try {
      await directory.sync()
    } finally {
      await directory.close()
    }
  }

  /** The write that will contain everything set so far: the one queued after the current flight. */
  const flush = (): Promise<void> => {
    if (next) return next
    const after = writing ?? Promise.resolve()
    next = after
      .catch(() => undefined)
      .then(() => {
        next = undefined
        writing = write().finally(() => {
          writing = undefined
        })
        return writing
      })
    return next
  }

  return {
    load: async () => new Map(await read()),
    save: async (key, voucher) => {
      const all = await read()
      const known = all.get(key)
      // Only a larger total replaces a voucher: a late save of an older one must not undo a newer one.
      if (!known || voucher.cumulative > known.cumulative) all.set(key, voucher)
      await flush()
    },
  }
}
