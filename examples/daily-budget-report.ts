/**
 * Daily budget report. Give it a schedule trigger (every 1440 minutes): it reads the wallet's
 * limits and what was spent in the last 24 h, lists today's activity by caller (dApps, paired
 * agents, scripts) and warns when a budget is more than 80% used.
 */
const DAY_MS = 24 * 60 * 60 * 1000

const { wallet: limits } = await policy.get()
const recent = await activity.list({ limit: 100 })
const today = recent.filter((item) => item.at > Date.now() - DAY_MS)

const byCaller = new Map<string, number>()
for (const item of today) byCaller.set(item.by, (byCaller.get(item.by) ?? 0) + 1)

const used = (spent: string, budget: string) => (Number(budget) > 0 ? Number(spent) / Number(budget) : 0)
const eth = used(limits.spentTodayEth, limits.dailyEth)
const usd = used(limits.spentTodayUsd, limits.dailyUsd)

log(`ETH: ${limits.spentTodayEth} of ${limits.dailyEth} (${Math.round(eth * 100)}%)`)
log(`USDS: ${limits.spentTodayUsd} of ${limits.dailyUsd} (${Math.round(usd * 100)}%)`)
for (const [caller, count] of byCaller) log(`${caller}: ${count} action(s)`)
if (limits.frozen) console.warn('the kill switch is on: nothing moves')
if (eth > 0.8) console.warn('over 80% of the daily ETH budget is used')
if (usd > 0.8) console.warn('over 80% of the daily USDS budget is used')

const balances = await wallet.balances()
log('report:', { actions: today.length, ethUsed: eth, usdUsed: usd, balances })
