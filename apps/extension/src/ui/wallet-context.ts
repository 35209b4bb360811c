/** The wallet state the screens share (its own module so screens do not import the app). */
import { createContext, useContext } from 'react'
import type { WalletState } from '../core/protocol.ts'

export const WalletContext = createContext<{ state: WalletState; refresh: () => void } | null>(null)
export const useWallet = () => useContext(WalletContext)!
