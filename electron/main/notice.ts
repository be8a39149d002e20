import { z } from 'zod'

/** An OS notification request from the renderer, checked in main before it is shown. */
export const NoticeSchema = z.object({
  title: z.string().min(1).max(100),
  body: z.string().max(500),
})
