import type { Migration } from '../migration'

/** One seeded survey template: its name, kind and questions (the questionnaire model). */
function template(name: string, kind: string, questions: unknown[]): string {
  return `('${name}', '${JSON.stringify(questions)}', '${kind}', '2026-01-01T00:00:00.000Z')`
}

/**
 * Surveys (issue #20): a survey template is a questionnaire with a kind (satisfaction, needs,
 * post-viewing, post-sale), seeded with one of each that the manager edits; a response is one
 * survey filled in for a client at the counter or on a call, its answers as JSON. Each response is
 * also a contact in the client's log (follow_up_id).
 */
export const m024Surveys: Migration = {
  version: 24,
  name: 'surveys',
  up: `
    ALTER TABLE question_sets ADD COLUMN survey_kind TEXT CHECK (survey_kind IS NULL OR survey_kind IN ('satisfaction','needs','post_viewing','post_sale'));
    INSERT INTO question_sets (name, questions, survey_kind, created_at) VALUES
    ${template('服务满意度调查', 'satisfaction', [
      { key: 'overall', text: '对本次服务总体满意吗？', type: 'score', required: true },
      { key: 'agent', text: '对经纪人的专业程度打分', type: 'score', required: true },
      { key: 'recommend', text: '是否愿意推荐亲友？', type: 'boolean' },
      { key: 'advice', text: '意见和建议', type: 'text' },
    ])},
    ${template('购房需求调查', 'needs', [
      { key: 'household', text: '家庭几口人居住？', field: 'householdSize', type: 'number' },
      { key: 'horizon', text: '计划什么时候购房？', field: 'purchaseHorizon', type: 'choice', options: ['near', 'mid', 'far'], required: true },
      { key: 'demand', text: '首套、改善还是投资？', field: 'demandType', type: 'choice', options: ['rigid', 'improve', 'invest'], required: true },
      { key: 'region', text: '意向区域？', field: 'region', type: 'text' },
    ])},
    ${template('带看回访调查', 'post_viewing', [
      { key: 'unit', text: '对所看房源满意吗？', type: 'score', required: true },
      { key: 'service', text: '对带看服务满意吗？', type: 'score', required: true },
      { key: 'next', text: '下一步打算', type: 'choice', options: ['再看', '考虑中', '不合适'] },
    ])},
    ${template('成交后回访调查', 'post_sale', [
      { key: 'overall', text: '对整个交易过程满意吗？', type: 'score', required: true },
      { key: 'handover', text: '交房是否顺利？', type: 'boolean' },
      { key: 'advice', text: '意见和建议', type: 'text' },
    ])};

    CREATE TABLE survey_responses (
      id INTEGER PRIMARY KEY,
      set_id INTEGER NOT NULL REFERENCES question_sets(id),
      client_id INTEGER NOT NULL REFERENCES clients(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      channel TEXT NOT NULL CHECK (channel IN ('counter','phone')),
      answers TEXT NOT NULL,
      follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id),
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX survey_responses_set ON survey_responses(set_id, created_at);
    CREATE INDEX survey_responses_client ON survey_responses(client_id, id);
  `,
}
