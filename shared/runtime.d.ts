// shared/ is compiled with the ES library only (tsconfig.shared.json): neither DOM nor Node
// types. These are the globals it uses that every runtime it runs in (browsers, Node) has.
declare function setTimeout(fn: () => void, ms: number): unknown
declare function clearTimeout(handle: unknown): void
