// The member-card reader driver, for Electron main: plain Node, nothing here imports electron.
export { CardReaderService, type CardReadRejected, type CardSwipe, type ReaderStatus } from './card-reader-service'
export type { CardReaderBackend, CardReaderDevice, HidDeviceInfo } from './device'
export { FakeBackend, ReportRecording } from './fake-device'
export { proposeProfile, type LearnInput, type LearnResult, type LearnSample } from './learn'
export { loadReaderProfiles, parseReaderProfiles, saveLearnedProfile } from './load-profiles'
export { NodeHidBackend } from './node-hid-backend'
export { ReaderProfile, ReaderProfileList } from './reader-profile'
export { ManualScheduler, systemScheduler, type Scheduler } from './scheduler'
export {
  LEARN_IDLE_MS,
  LEARN_SWIPES,
  ReaderManager,
  SWIPE_QUIET_MS,
  type LearnProgress,
  type LearnProposal,
  type ReaderAdminReason,
  type ReaderAdminResult,
  type ReaderEntry,
  type ReaderEvent,
  type ReaderState,
} from './reader-manager'
