import { createFileRoute } from '@tanstack/react-router'
import { BlockList } from '../components/BlockList.tsx'

export const Route = createFileRoute('/l1/')({
  component: () => <BlockList layer="l1" />,
})
