/** The product version, shown by /healthz and the about box. */
export const APP_VERSION = '0.1.0'
