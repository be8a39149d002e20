/**
 * What makes a password too weak to set: the one rule the host enforces wherever a password is
 * set (staff.create, staff.resetPassword, auth.changePassword, the first admin) and the renderer
 * shows while it is typed. The host decides; the renderer only warns early.
 */

export const PASSWORD_MIN_LENGTH = 8

/** Why a password is refused; `reason` is the key the renderer translates (validation.<reason>). */
export type PasswordProblem =
  | { reason: 'too_small'; minimum: number }
  | { reason: 'password_repeated' }
  | { reason: 'password_keyboard' }
  | { reason: 'password_personal' }
  | { reason: 'password_common' }

/** The lists the rule reads: common passwords and keyboard layouts (neighbours of each key). */
export interface PasswordLists {
  common: ReadonlySet<string>
  keyboards: ReadonlyArray<Readonly<Record<string, ReadonlyArray<string | null>>>>
}

/**
 * Common in Chinese offices but missing from the zxcvbn list, which is drawn mostly from
 * English-language leaks (these are from the published top lists of the CSDN and Tianya leaks);
 * "woaini" lets the trailing-digits rule catch woaini + any number.
 */
const CHINESE_COMMON = [
  'woaini',
  'woaini1314',
  'woaini520',
  'aini1314',
  'iloveyou1314',
  '5201314',
  '1314520',
  '5201314520',
  '1314520520',
  '7758521',
  '7758258',
  'wojiushiwo',
  'woaiwojia',
  'woshishui',
  'dearbook',
  'xiazhili',
]

/** The product's own name: "keyuan2026" is the first guess in any office that runs it. */
const PRODUCT_WORDS = ['keyuan', '客源']

/**
 * The rule's lists without the download: the Chinese favourites and no keyboard graphs, so the
 * length, repeat, alphabet-run and personal-word checks still apply.
 */
export const BUILT_IN_PASSWORD_LISTS: PasswordLists = { common: new Set(CHINESE_COMMON), keyboards: [] }

/**
 * `load` run once and its answer shared; a load that fails is not kept, so the next call tries
 * again (in the renderer the lists come as a chunk from the host, which may be down for a while).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null
  return () => {
    if (loading) return loading
    const started = load()
    loading = started
    started.catch(() => {
      if (loading === started) loading = null
    })
    return started
  }
}

/**
 * The common-password list (about 49,000 entries, ranked, from @zxcvbn-ts/language-common) and
 * its keyboard graphs, loaded on first use: decompressing the list takes tens of milliseconds,
 * which neither the host's start nor the renderer's first paint should pay.
 */
export const loadPasswordLists: () => Promise<PasswordLists> = loadOnce(() =>
  import('@zxcvbn-ts/language-common').then(({ dictionary, adjacencyGraphs }) => ({
    common: new Set([...dictionary['passwords-common'], ...CHINESE_COMMON]),
    keyboards: [adjacencyGraphs.qwerty, adjacencyGraphs.keypad],
  })),
)

/**
 * The first reason `password` is too weak, or null. `personal` are the account name, the
 * person's name and the like; the product's name is always one of them.
 */
export async function passwordProblem(
  password: string,
  personal: ReadonlyArray<string | null | undefined> = [],
): Promise<PasswordProblem | null> {
  return findPasswordProblem(password, personal, await loadPasswordLists())
}

/**
 * The renderer's early warning while a password is typed: the rule with the full lists, or with
 * the built-in ones when the full lists cannot be loaded (the host, which serves them, is down);
 * the host checks again with the full lists when the password is saved.
 */
export async function passwordWarning(
  password: string,
  personal: ReadonlyArray<string | null | undefined>,
  load: () => Promise<PasswordLists> = loadPasswordLists,
): Promise<PasswordProblem | null> {
  const l = await load().catch(() => BUILT_IN_PASSWORD_LISTS)
  return findPasswordProblem(password, personal, l)
}

/** The same rule with the lists given (synchronous, for callers that loaded them already). */
export function findPasswordProblem(
  password: string,
  personal: ReadonlyArray<string | null | undefined>,
  l: PasswordLists,
): PasswordProblem | null {
  const p = fold(password)
  if (Array.from(p).length < PASSWORD_MIN_LENGTH) return { reason: 'too_small', minimum: PASSWORD_MIN_LENGTH }
  if (isRepeated(p)) return { reason: 'password_repeated' }
  if (isKeyboardRun(p, l.keyboards)) return { reason: 'password_keyboard' }
  const core = coreWord(p)
  if ([...personal, ...PRODUCT_WORDS].some((w) => w && isPersonal(core, fold(w)))) return { reason: 'password_personal' }
  if (l.common.has(p) || (core.length > 0 && l.common.has(core))) return { reason: 'password_common' }
  return null
}

/** How passwords are compared: the form the host hashes (NFKC), in lower case. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase()
}

/** One short unit over and over: "aaaaaaaa", "12121212", "abcabcabc", "passpass". */
function isRepeated(p: string): boolean {
  return /^(.{1,4})\1+$/su.test(p)
}

// A run shorter than this is chance, not a walk along the keys.
const MIN_RUN = 3

/**
 * The whole password is made of walks along the keyboard or the alphabet, each at least
 * three keys long: "qwertyui", "1qaz2wsx", "zxcvbnm,", "abcdefgh", "98765432", "147258369".
 */
function isKeyboardRun(p: string, keyboards: PasswordLists['keyboards']): boolean {
  const chars = Array.from(p)
  let run = 1
  for (let i = 1; i < chars.length; i++) {
    if (linked(chars[i - 1]!, chars[i]!, keyboards)) {
      run++
    } else {
      if (run < MIN_RUN) return false
      run = 1
    }
  }
  return run >= MIN_RUN
}

function linked(a: string, b: string, keyboards: PasswordLists['keyboards']): boolean {
  if (/^[a-z0-9]$/.test(a) && /^[a-z0-9]$/.test(b) && Math.abs(a.charCodeAt(0) - b.charCodeAt(0)) === 1) return true
  return keyboards.some((k) => k[a]?.some((n) => n !== null && n.includes(b)) ?? false)
}

/** The password without the digits and symbols people put before or after a word ("Admin@2024" -> "admin"). */
function coreWord(p: string): string {
  return p.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '')
}

const SEPARATORS = /[\s._-]+/gu

/** The core is the word itself, reversed, or repeated ("admin", "nimda", "adminadmin"), separators aside. */
function isPersonal(core: string, word: string): boolean {
  const w = word.replace(SEPARATORS, '')
  if (Array.from(w).length < 2) return false
  const c = core.replace(SEPARATORS, '')
  if (c.length === 0) return false
  const reversed = Array.from(w).reverse().join('')
  for (const form of [w, reversed]) {
    if (c.length % form.length === 0 && c === form.repeat(c.length / form.length)) return true
  }
  return false
}
