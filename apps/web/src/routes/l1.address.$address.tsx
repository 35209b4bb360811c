import { createFileRoute } from '@tanstack/react-router'
import { AddressView } from '../components/AddressView.tsx'
import { addressSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/l1/address/$address')({
  params: pathParam('address', addressSchema),
  component: function AddressPage() {
    return <AddressView layer="l1" address={Route.useParams().address} />
  },
})
