/**
 * Unit and integration files run without isolation (one module cache per worker). A file that
 * replaces a module with vi.mock gets the real module when another file of its worker loaded it
 * first, so such files run in their own isolated project; `tests/unit/test-isolation.test.ts`
 * checks that every file using vi.mock is listed here.
 */
export const MOCKING_FILES = ['tests/integration/sign-in-limits.test.ts']
