import {
  InfiniteRowModelModule,
  LocaleModule,
  ModuleRegistry,
  RowApiModule,
  RowSelectionModule,
  themeQuartz,
  ValidationModule,
} from 'ag-grid-community'
import type { TFunction } from 'i18next'
import { FONT_STACK } from '../app/theme'

// Only what the grids use keeps the bundle small; in development ValidationModule names a missing one.
ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  RowSelectionModule,
  RowApiModule,
  LocaleModule,
  ...(import.meta.env.DEV ? [ValidationModule] : []),
])

/** The AG Grid look shared by every grid: antd's font and blue, roomy rows for a counter PC. */
export const gridTheme = themeQuartz.withParams({
  fontFamily: FONT_STACK,
  fontSize: 14,
  headerFontSize: 14,
  headerFontWeight: 600,
  accentColor: '#1668dc',
  headerBackgroundColor: '#fafafa',
  rowHeight: 40,
  headerHeight: 42,
  wrapperBorderRadius: 4,
})

/** AG Grid's own words in the UI language (only the few the grids show). */
export function gridLocaleText(t: TFunction, noRows: string): Record<string, string> {
  return {
    loadingOoo: t('grid.loading'),
    noRowsToShow: noRows,
    loadingError: t('grid.loadFailed'),
    ariaSortableColumn: t('grid.sortHint'),
    ariaRowToggleSelection: t('grid.toggleSelection'),
  }
}
