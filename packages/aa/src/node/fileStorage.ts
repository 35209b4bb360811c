/** Node-only: one JSON file per key in a directory, written atomically (temp file + rename), mode 0600. */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KeyValueStorage } from '../storage.ts'

export function createFileStorage(dir: string): KeyValueStorage {
  // Keys become file names: encode everything that is not a safe file-name character.
  const file = (key: string) => join(dir, `${encodeURIComponent(key)}.json`)
  let ready: Promise<unknown> | undefined
  const ensureDir = () => {
    ready ??= mkdir(dir, { recursive: true, mode: 0o700 })
    return ready
  }
  return {
    async get(key) {
      try {
        return JSON.parse(await readFile(file(key), 'utf8'))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async set(key, value) {
      await ensureDir()
      const target = file(key)
      const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
      await writeFile(temp, JSON.stringify(value), { mode: 0o600 })
      await rename(temp, target)
    },
    async delete(key) {
      await rm(file(key), { force: true })
    },
  }
}
