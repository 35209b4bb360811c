/**
 * A hard cap on the sandbox's WebAssembly memory. QuickJS's own `setMemoryLimit` bounds one
 * allocation, not the total, in Emscripten builds (its accounting adds 0 bytes per block there), so
 * a script could still grow the heap to the 2 GiB WebAssembly ceiling. Every heap growth goes
 * through `WebAssembly.Memory.prototype.grow` (the Emscripten glue catches its failure, `malloc`
 * returns NULL and QuickJS throws "out of memory"): refusing growth past the cap stops a memory
 * bomb at its limit, and `exceeded` tells the interrupt handler to end the script at once (a
 * script that catches the error would otherwise keep running).
 *
 * Patches the prototype of the realm it runs in: only for the sandbox's own dedicated Worker.
 */
export type MemoryCap = {
  /** Allows `bytes` of growth from now on and clears `exceeded`. */
  arm(bytes: number): void
  /** No cap (between runs). */
  disarm(): void
  /** When growth past the cap was refused (performance.now()), or undefined. */
  readonly exceededAt: number | undefined
}

export function installMemoryCap(onExceeded?: () => void): MemoryCap {
  let allowed = Number.POSITIVE_INFINITY
  let grown = 0
  let exceededAt: number | undefined
  const grow = WebAssembly.Memory.prototype.grow
  WebAssembly.Memory.prototype.grow = function cappedGrow(this: WebAssembly.Memory, pages: number) {
    const bytes = pages * 65_536
    if (grown + bytes > allowed) {
      if (exceededAt === undefined) {
        exceededAt = performance.now()
        onExceeded?.()
      }
      throw new RangeError('The script is over its memory limit')
    }
    const previous = grow.call(this, pages)
    grown += bytes
    return previous
  }
  return {
    arm(bytes) {
      allowed = bytes
      grown = 0
      exceededAt = undefined
    },
    disarm() {
      allowed = Number.POSITIVE_INFINITY
    },
    get exceededAt() {
      return exceededAt
    },
  }
}
