import { z } from 'zod'

/**
 * A phone as typed by a person (staff directory): digits, spaces, dashes, plus and
 * parentheses. Client phones get full libphonenumber validation in the clients domain.
 */
export const PhoneText = z
  .string()
  .trim()
  .min(3)
  .max(24)
  .regex(/^[+0-9()\- ]+$/)
