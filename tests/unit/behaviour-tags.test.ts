import { describe, expect, it } from 'vitest'
import { behaviourTagsOf, parseBehaviourTag, type BehaviourSignals } from '@shared/domain/behaviour-tags'

const none: BehaviourSignals = { recentEnquiries: 0, lastContactAt: null, preferences: [], budgetMax: null, viewedMaxPrice: null }

describe('behaviourTagsOf', () => {
  it('no signal, no tag', () => {
    expect(behaviourTagsOf(none)).toEqual([])
  })
  it('enquiries from the threshold on, with their count', () => {
    expect(behaviourTagsOf({ ...none, recentEnquiries: 1 })).toEqual([])
    expect(behaviourTagsOf({ ...none, recentEnquiries: 4, lastContactAt: '2026-11-02T00:00:00.000Z' })).toEqual(['enquiries:4', 'recentContact'])
  })
  it('preferences once each, sorted', () => {
    expect(behaviourTagsOf({ ...none, preferences: ['school', 'apartment', 'school'] })).toEqual(['prefers:apartment', 'prefers:school'])
  })
  it('price: stretch from 10 % over the budget, within at or under it, nothing between or without a budget', () => {
    expect(behaviourTagsOf({ ...none, budgetMax: 1000, viewedMaxPrice: 1100 })).toEqual(['budgetStretch'])
    expect(behaviourTagsOf({ ...none, budgetMax: 1000, viewedMaxPrice: 1099 })).toEqual([])
    expect(behaviourTagsOf({ ...none, budgetMax: 1000, viewedMaxPrice: 1000 })).toEqual(['withinBudget'])
    expect(behaviourTagsOf({ ...none, budgetMax: null, viewedMaxPrice: 1000 })).toEqual([])
    expect(behaviourTagsOf({ ...none, budgetMax: 1000, viewedMaxPrice: null })).toEqual([])
  })
  it('parses what it writes and refuses keys no rule writes', () => {
    expect(parseBehaviourTag('enquiries:3')).toEqual({ kind: 'enquiries', value: '3' })
    expect(parseBehaviourTag('recentContact')).toEqual({ kind: 'recentContact', value: '' })
    expect(parseBehaviourTag('学区房偏好')).toBeNull()
  })
})
