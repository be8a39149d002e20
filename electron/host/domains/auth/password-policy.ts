import { pinyin } from 'pinyin-pro'
import { PASSWORD_MIN_LENGTH, passwordProblem, type PasswordProblem } from '@shared/domain/password-rules'
import { ApiFailure } from '../../api/api-failure'

const CJK = /[\u3400-\u9fff]/

/**
 * The words a password must not be made of for this person: account name, name, and the name's
 * pinyin ("zhangwei" for 张伟: what people type). Pinyin is the host's addition; the renderer's
 * early check goes without it, to keep pinyin-pro out of the page.
 */
export function personalWords(who: { username: string; name: string }): string[] {
  const words = [who.username, who.name]
  if (CJK.test(who.name)) words.push(pinyin(who.name, { toneType: 'none', type: 'array', surname: 'head', v: true }).join(''))
  return words
}

/**
 * Refuses a weak password with VALIDATION naming `field` and the rule's reason
 * (shared/domain/password-rules.ts; the renderer translates validation.<reason>).
 */
export async function assertStrongPassword(password: string, field: string, who: { username: string; name: string }): Promise<void> {
  const problem = await passwordProblem(password, personalWords(who))
  if (!problem) return
  const params = problem.reason === 'too_small' ? { minimum: problem.minimum } : undefined
  throw new ApiFailure('VALIDATION', `${field}: too weak: ${PROBLEM_TEXT[problem.reason]}`, field, problem.reason, params)
}

/** English messages for logs and API callers; the UI shows its own translation of the reason. */
export const PROBLEM_TEXT: Record<PasswordProblem['reason'], string> = {
  too_small: `shorter than ${PASSWORD_MIN_LENGTH} characters`,
  password_repeated: 'one character or a short pattern repeated',
  password_keyboard: 'a run of neighbouring keys or letters',
  password_personal: 'made of the account name, the person’s name or the product name',
  password_common: 'on the list of commonly used passwords',
}
