import { Badge } from 'antd'

/** A menu or tab label with a count badge after it (nothing shown at 0). */
export function CountLabel({ text, count, testId }: { text: string; count: number; testId?: string }) {
  return (
    <span className="count-label">
      {text}
      {count > 0 && <Badge count={count} overflowCount={99} size="small" className="count-label-badge" data-testid={testId} />}
    </span>
  )
}
