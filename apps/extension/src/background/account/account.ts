/** The AccountService the background uses. */
import { seedAccountService } from './seed-account.ts'

export const accountService = seedAccountService
