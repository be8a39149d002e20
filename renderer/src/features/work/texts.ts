/** Texts of the follow-up work areas (跟进, 公客池, 带看, 规则设置), Chinese first; `workEn` must have the same keys. */
export const workZh = {
  title: '跟进',
}

export const workEn: typeof workZh = {
  title: 'Follow-ups',
}
