/** The AccountService the background uses (swap point for @seed/aa). */
import { simpleAccountService } from './simple-account.ts'

export const accountService = simpleAccountService
