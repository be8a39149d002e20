/**
 * Unit and integration files run without isolation (one module cache per worker). A file that
 * replaces a module with vi.mock gets the real module when another file of its worker loaded it
 * first, so such files run in their own isolated project; `tests/unit/test-isolation.test.ts`
 * checks that every file using vi.mock is listed here.
 */
export const MOCKING_FILES = ['tests/integration/sign-in-limits.test.ts']

/**
 * End-to-end files that run alone, after the others: the e2e project runs three files side by side
 * (a browser test spends most of its time waiting for the page, so several of them keep a 2-core
 * machine busy instead of half idle), but these measure or depend on timing that a neighbour's
 * load would distort.
 */
export const E2E_ALONE_FILES = [
  // stops and restarts its host and counts on the page noticing within bounded waits
  'tests/e2e/host-stop.e2e.test.ts',
  // keys typed while a dialog is still opening, with animations on
  'tests/e2e/dialog-keys.e2e.test.ts',
  // its header search for a short code failed in three clean-clone runs (2026-12-07): the desk had
  // landed on 前台, whose own search box took the query (its hits read 匹配客户编号); it now starts
  // on the client list. Alone until a clean-clone run beside others passes
  'tests/e2e/profile-header.e2e.test.ts',
  // its 预约带看 unit box was found "not editable" for 45 s under load (a clean-clone run with three
  // files side by side and other builds beside it, 2026-12-07 14:33; the comment in the test tells
  // the same of runs beside other builds), and the next test, which starts where it ends, failed with it
  'tests/e2e/board-flows.e2e.test.ts',
]

/**
 * End-to-end files that start first in their project (tests/long-files-first.ts): each starts a
 * large demo book (100,000 clients, 20,000) or walks every page, minutes where most files take
 * seconds. A clean clone has no last run to order by, and by size these started late and ended last.
 */
export const LONG_E2E_FILES = ['tests/e2e/clients.e2e.test.ts', 'tests/e2e/long-jobs.e2e.test.ts', 'tests/e2e/english.e2e.test.ts']
