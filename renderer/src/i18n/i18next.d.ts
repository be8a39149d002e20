import type { Resources } from './zh'

// t() keys are typed from the Chinese texts: a missing or misspelled key fails tsc
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: Resources }
    // a key with a defaultValue must exist too: defaultValue is for texts the host names, never a way round the types
    strictKeyChecks: true
  }
}
