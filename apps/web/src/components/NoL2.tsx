/** A rollup page when neither the wallet nor a replica can read the selected chain. */
export function NoL2() {
  return (
    <p className="muted">
      This chain cannot be read here: the Seed wallet is not on it and no replica RPC URL is known. Give one in the
      chain picker above.
    </p>
  )
}
