import { z } from 'zod'

/** An OS notification request from the renderer, checked in main before it is shown. */
export const NoticeSchema = z.object({
  title: z.string().min(1).max(100),
  body: z.string().max(500),
  /** the page's hash path to open when the notification is clicked (e.g. /clients/12) */
  link: z
    .string()
    .max(200)
    .regex(/^\/[A-Za-z0-9/_-]*$/)
    .optional(),
})
