import type { ThemeConfig } from 'antd'

/** The font stack: bundled-free system fonts, Chinese fonts last so Latin text keeps its shapes. */
export const FONT_STACK =
  '-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif'

/** antd theme: readable sizes for a counter PC, the product's font stack; no animations when the system asks for less motion. */
export function antdTheme(reducedMotion: boolean): ThemeConfig {
  return {
    token: {
      fontFamily: FONT_STACK,
      fontSize: 14,
      colorPrimary: '#1668dc',
      borderRadius: 4,
      motion: !reducedMotion,
    },
  }
}
