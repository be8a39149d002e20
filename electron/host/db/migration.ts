/** A numbered, immutable schema step. Once released, never edit one: add the next number. */
export interface Migration {
  version: number
  name: string
  /** SQL run inside one transaction together with its schema_version row. */
  up: string
}
