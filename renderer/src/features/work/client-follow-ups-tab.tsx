/** Props of the follow-up panel shown on a client's profile. */
export interface ClientFollowUpsTabProps {
  clientId: number
  /** whether the viewer may log contacts (owner, team senior, manager). */
  canEdit: boolean
}

/** The client's shared follow-up log, viewings and actions, shown as a tab of the profile. */
export function ClientFollowUpsTab(_props: ClientFollowUpsTabProps) {
  return null
}
