import { runCrashTrials } from './crash-harness'

/**
 * `npm run crash [-- --trials N --seconds S --kill-ms M]`: the kill -9 harness at full size
 * (default 300 trials, at most 30 minutes). Prints each trial and the figures; exits 1 when a
 * write was lost, the database failed its integrity check or the audit chain broke.
 */
async function main() {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`)
    const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive whole number`)
    return v
  }
  const trials = arg('trials', 300)
  const budgetMs = arg('seconds', 1800) * 1000
  const maxKillAfterMs = arg('kill-ms', 1500)
  console.log(`Keyuan crash harness: up to ${trials} trials of SIGKILL within ${maxKillAfterMs} ms of writing, at most ${budgetMs / 1000} s`)
  const figures = await runCrashTrials({
    trials,
    budgetMs,
    maxKillAfterMs,
    onTrial: (t, f) => console.log(`  trial ${t}: acknowledged ${f.acknowledged}, lost ${f.lost}, integrity failures ${f.integrityFailures}, audit failures ${f.auditFailures}`),
  })
  console.log(`\nkill -9 trials:          ${figures.trials}`)
  console.log(`acknowledged writes:     ${figures.acknowledged}`)
  console.log(`lost writes:             ${figures.lost}`)
  console.log(`integrity failures:      ${figures.integrityFailures}`)
  console.log(`audit chain failures:    ${figures.auditFailures}`)
  for (const p of figures.problems) console.log(`  ${p}`)
  if (figures.lost || figures.integrityFailures || figures.auditFailures) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error('crash harness failed:', err)
  process.exitCode = 2
})
