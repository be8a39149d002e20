import { z } from 'zod'
import { toHalfWidth } from './text-kinds'

/**
 * A phone as typed by a person (staff directory): digits, spaces, dashes, dots, plus and
 * parentheses, full-width ones too (folded to ASCII). Client phones get full libphonenumber
 * validation in the clients domain.
 */
export const PhoneText = z
  .string()
  .overwrite((v) =>
    toHalfWidth(v)
      .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  )
  .min(3)
  .max(24)
  .regex(/^[+0-9()\-. ]+$/)
