/** An address as a QR code (an EIP-681 `ethereum:` URI, so a scanning wallet also gets the chain). */
import QRCode from 'qrcode'
import { useEffect, useState } from 'react'

export function AddressQr({ address, chainId }: { address: string; chainId: number }) {
  const uri = `ethereum:${address}@${chainId}`
  const [svg, setSvg] = useState<string>()
  useEffect(() => {
    let current = true
    QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((text) => current && setSvg(text))
    return () => {
      current = false
    }
  }, [uri])
  if (!svg) return null
  return (
    <img
      className="qr"
      src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
      alt={`QR code of ${uri}`}
      title={uri}
    />
  )
}
