/**
 * The 读卡器 screen's calls across the desktop bridge (preload → renderer). Each takes the caller's
 * session token (Electron main asks the host whether it is an admin's) and answers `{ ok: true,
 * value }` or `{ ok: false, reason, detail? }`; the answers are not trusted by the renderer, which
 * parses them (renderer/src/features/readers/reader-bridge.ts) into the shapes of ReaderEntry,
 * LearnProgress and LearnProposal in electron/card-reader/reader-manager.ts.
 */
export interface ReaderAdminBridge {
  list(token: string): Promise<unknown>
  learnStart(token: string, path: string): Promise<unknown>
  learnReset(token: string): Promise<unknown>
  learnPropose(token: string, printed: string, name?: string): Promise<unknown>
  learnSave(token: string): Promise<unknown>
  learnCancel(token: string): Promise<unknown>
  /** learning progress after every recorded swipe */
  onLearn(cb: (progress: unknown) => void): () => void
}
