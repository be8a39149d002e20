import { describe, expect, it } from 'vitest'
import { KeyboardWedgeDetector, type WedgeFocus, type WedgeStep } from '@shared/domain/keyboard-wedge'

interface Outcome {
  /** what reached the page as typing, in order (keys handed back plus keys never held) */
  typed: string[]
  swipes: string[]
}

/**
 * Drives the detector the way the renderer does: each keydown at its time, `tick` whenever
 * the detector's deadline passes before the next key, and a final tick at the end.
 */
function run(keys: Array<[key: string, at: number]>, focus: WedgeFocus = 'none', options = {}): Outcome {
  const d = new KeyboardWedgeDetector(options)
  const out: Outcome = { typed: [], swipes: [] }
  const apply = (step: WedgeStep, key?: string) => {
    out.typed.push(...step.pass)
    if (key !== undefined && !step.hold) out.typed.push(key)
    if (step.swipe !== null) out.swipes.push(step.swipe)
  }
  for (const [key, at] of keys) {
    const due = d.deadline()
    if (due !== null && due <= at) apply(d.tick(due))
    apply(d.key(key, at, focus), key)
  }
  apply(d.tick(Number.MAX_SAFE_INTEGER))
  return out
}

/** Keys `gap` ms apart from `start`. */
function burst(text: string, gap: number, start = 0, enter = true): Array<[string, number]> {
  const keys: Array<[string, number]> = [...text].map((c, i) => [c, start + i * gap])
  if (enter) keys.push(['Enter', start + text.length * gap])
  return keys
}

describe('keyboard-wedge burst detection', () => {
  it('a reader burst (10 digits, 8 ms apart, Enter) is a swipe and nothing is typed', () => {
    expect(run(burst('0305419896', 8))).toEqual({ typed: [], swipes: ['0305419896'] })
  })

  it('works in the designated swipe field', () => {
    expect(run(burst('0305419896', 16), 'swipe-field')).toEqual({ typed: [], swipes: ['0305419896'] })
  })

  it('six digits are enough, five are not', () => {
    expect(run(burst('123456', 10)).swipes).toEqual(['123456'])
    expect(run(burst('12345', 10))).toEqual({ typed: ['1', '2', '3', '4', '5', 'Enter'], swipes: [] })
  })

  it('a gap of 30 ms or more is typing; just under 30 ms is a machine', () => {
    expect(run(burst('0305419896', 29)).swipes).toEqual(['0305419896'])
    expect(run(burst('0305419896', 30))).toEqual({ typed: [...'0305419896', 'Enter'], swipes: [] })
  })

  it('normal typing (> 30 ms gaps) is always passed through, in order', () => {
    const keys = burst('13812345678', 90)
    expect(run(keys, 'none')).toEqual({ typed: [...'13812345678', 'Enter'], swipes: [] })
    expect(run(keys, 'swipe-field')).toEqual({ typed: [...'13812345678', 'Enter'], swipes: [] })
  })

  it('a slow Enter after a fast burst is not a swipe', () => {
    const keys = burst('0305419896', 8, 0, false)
    keys.push(['Enter', 72 + 200])
    expect(run(keys)).toEqual({ typed: [...'0305419896', 'Enter'], swipes: [] })
  })

  it('a fast burst without Enter (a paste, a reader without Enter) is typing', () => {
    expect(run(burst('0305419896', 8, 0, false))).toEqual({ typed: [...'0305419896'], swipes: [] })
  })

  it('a person typing just before a swipe keeps their digit; the swipe is still caught', () => {
    const keys: Array<[string, number]> = [['7', 0], ...burst('0305419896', 8, 100)]
    expect(run(keys)).toEqual({ typed: ['7'], swipes: ['0305419896'] })
  })

  it('two swipes in quick succession are two swipes', () => {
    const keys = [...burst('0305419896', 8), ...burst('0077705923', 8, 300)]
    expect(run(keys).swipes).toEqual(['0305419896', '0077705923'])
  })

  it('inside an ordinary text field nothing is held and nothing is a swipe', () => {
    expect(run(burst('0305419896', 8), 'text-field')).toEqual({ typed: [...'0305419896', 'Enter'], swipes: [] })
  })

  it('held keys come back when focus moves into a text field', () => {
    const d = new KeyboardWedgeDetector()
    expect(d.key('1', 0, 'none')).toEqual({ hold: true, pass: [], swipe: null })
    expect(d.key('2', 5, 'none')).toEqual({ hold: true, pass: [], swipe: null })
    expect(d.key('3', 10, 'text-field')).toEqual({ hold: false, pass: ['1', '2'], swipe: null })
    expect(d.deadline()).toBeNull()
  })

  it('another key in the middle of a burst ends it: held digits first, then that key', () => {
    const keys: Array<[string, number]> = [...burst('030541', 8, 0, false), ['a', 48], ...burst('9896', 8, 56)]
    expect(run(keys)).toEqual({ typed: [...'030541', 'a', ...'9896', 'Enter'], swipes: [] })
  })

  it('modifier keys neither end a burst nor get held', () => {
    const d = new KeyboardWedgeDetector({ hex: true })
    const keys: Array<[string, number]> = [['0', 0], ['4', 5], ['Shift', 8], ['A', 10], ['1', 15], ['b', 20], ['2', 25], ['Enter', 30]]
    const steps = keys.map(([k, t]) => d.key(k, t, 'none'))
    expect(steps[2]).toEqual({ hold: false, pass: [], swipe: null })
    expect(steps[7]?.swipe).toBe('04A1b2')
  })

  it('hex letters only count when asked for', () => {
    expect(run(burst('04a1b2c3', 8)).swipes).toEqual([])
    expect(run(burst('04a1b2c3', 8), 'none', { hex: true }).swipes).toEqual(['04a1b2c3'])
  })

  it('an auto-repeating key is a person, even when fast', () => {
    const d = new KeyboardWedgeDetector()
    d.key('1', 0, 'none')
    expect(d.key('1', 25, 'none', true)).toEqual({ hold: false, pass: ['1'], swipe: null })
  })

  it('the deadline says when held keys are handed back', () => {
    const d = new KeyboardWedgeDetector({ maxGapMs: 30 })
    expect(d.deadline()).toBeNull()
    d.key('5', 100, 'none')
    expect(d.deadline()).toBe(130)
    expect(d.tick(129)).toEqual({ hold: false, pass: [], swipe: null })
    expect(d.tick(130)).toEqual({ hold: false, pass: ['5'], swipe: null })
    expect(d.deadline()).toBeNull()
  })

  it('thresholds are configurable', () => {
    expect(run(burst('1234', 40), 'none', { maxGapMs: 50, minChars: 4 }).swipes).toEqual(['1234'])
  })
})
