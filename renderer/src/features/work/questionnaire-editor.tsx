import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Form, Input, Select, Switch } from 'antd'
import { useTranslation } from 'react-i18next'
import { Question } from '@shared/contract/questionnaires'
import { SURVEY_KINDS } from '@shared/domain/surveys'
import { useApi } from '../../api/session-context'
import type { QuestionSetData } from './questionnaire-answers'
import { WORK_SAVE_TEXTS } from './work-errors'
import { useFormSave } from '../../app/use-form-save'
import { Dialog } from '../../app/dialog'

type QuestionData = QuestionSetData['questions'][number]
type Values = { name: string; active: boolean; surveyKind: QuestionSetData['surveyKind']; questions: Array<Partial<QuestionData>> }

const TYPES = Question.shape.type.options
const FIELDS = Question.shape.field.unwrap().unwrap().options

/** Creates or edits a standard questionnaire or a survey template (managers): its questions, answer types, the profile field each fills and, for surveys, which are required. */
export function QuestionnaireEditor({ set, onClose, onSaved }: { set: QuestionSetData | null; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const save = useFormSave(form, {
    save: (v) => {
        const questions = v.questions.map((q) => ({
        key: q.key?.trim() ?? '',
        text: q.text?.trim() ?? '',
        type: q.type ?? 'text',
        field: q.field ?? null,
        options: q.type === 'choice' ? (q.options ?? []) : undefined,
        required: q.required === true,
      }))
      return api.try('questionnaires.save', { id: set?.id, name: v.name, active: v.active, surveyKind: v.surveyKind ?? null, questions })
    },
    saved: (saved) => {
      void message.success(t('work.settings.questionnaires.saved', { name: saved.name }))
      onSaved()
    },
    close: onClose,
    texts: WORK_SAVE_TEXTS,
  })

  const required = (field: string) => [{ required: true, whitespace: true, message: t('work.validation.required', { field }) }]

  return (
    <Dialog
      open
      width={860}
      title={set ? t('work.settings.questionnaires.editTitle', { name: set.name }) : t('work.settings.questionnaires.createTitle')}
      okText={t('work.common.save')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      maskClosable={false}
      modalRender={(dom) => (
        <Form
          form={form}
          name="questionnaire"
          layout="vertical"
          requiredMark={false}
          initialValues={set ? { name: set.name, active: set.active, surveyKind: set.surveyKind, questions: set.questions } : { name: '', active: true, surveyKind: null, questions: [{ type: 'text' }] }}
          onFinish={save.submit}
        >
          {dom}
        </Form>
      )}
    >
      {save.problem}
      <div className="work-form-grid">
        <Form.Item name="name" label={t('work.settings.questionnaires.name')} rules={required(t('work.settings.questionnaires.name'))}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="active" label={t('work.settings.questionnaires.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="surveyKind" label={t('work.settings.questionnaires.use')}>
          <Select
            options={[
              { value: null, label: t('work.settings.questionnaires.followUpUse') },
              ...SURVEY_KINDS.map((k) => ({ value: k, label: t('work.settings.questionnaires.surveyUse', { kind: t(`surveys.kinds.${k}`) }) })),
            ]}
          />
        </Form.Item>
      </div>
      <Form.List name="questions">
        {(fields, { add, remove }) => (
          <div className="work-question-list">
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                title={`${t('work.settings.questionnaires.question')} ${i + 1}`}
                extra={
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)}>
                    {t('work.common.remove')}
                  </Button>
                }
              >
                <div className="work-question-grid">
                  <Form.Item
                    name={[f.name, 'key']}
                    label={t('work.settings.questionnaires.key')}
                    tooltip={t('work.settings.questionnaires.keyHint')}
                    rules={[...required(t('work.settings.questionnaires.key')), { pattern: /^[A-Za-z0-9_]+$/, message: t('work.settings.questionnaires.keyHint') }]}
                  >
                    <Input maxLength={40} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'text']} label={t('work.settings.questionnaires.text')} rules={required(t('work.settings.questionnaires.text'))}>
                    <Input maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'type']} label={t('work.settings.questionnaires.type')}>
                    <Select options={TYPES.map((ty) => ({ value: ty, label: t(`work.settings.questionnaires.types.${ty}`) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'field']} label={t('work.settings.questionnaires.field')}>
                    <Select
                      allowClear
                      placeholder={t('work.settings.questionnaires.fieldNone')}
                      options={FIELDS.map((fd) => ({ value: fd, label: t(`work.settings.questionnaires.fields.${fd}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'required']} label={t('work.settings.questionnaires.required')} tooltip={t('work.settings.questionnaires.requiredHint')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                </div>
                <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.questions[f.name]?.type !== b.questions[f.name]?.type}>
                  {() =>
                    form.getFieldValue(['questions', f.name, 'type']) === 'choice' ? (
                      <Form.Item
                        name={[f.name, 'options']}
                        label={t('work.settings.questionnaires.options')}
                        extra={t('work.settings.questionnaires.optionsHint')}
                        rules={[{ required: true, type: 'array', min: 1, message: t('work.validation.required', { field: t('work.settings.questionnaires.options') }) }]}
                      >
                        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
                      </Form.Item>
                    ) : null
                  }
                </Form.Item>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ type: 'text' })} disabled={fields.length >= 30}>
              {t('work.settings.questionnaires.addQuestion')}
            </Button>
          </div>
        )}
      </Form.List>
    </Dialog>
  )
}
