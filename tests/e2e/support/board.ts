import type { Page } from 'playwright-core'

/** Opens a board by its hash; ms from the navigation until all `cells` exist and two frames have been painted. */
export function openBoard(page: Page, hash: string, cells: number): Promise<number> {
  return page.evaluate(
    ({ hash, cells }) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now()
        window.location.hash = hash
        const tick = () => {
          if (document.querySelectorAll('.bc-cell').length >= cells) requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)))
          else requestAnimationFrame(tick)
        }
        tick()
      }),
    { hash, cells },
  )
}
