import { LANGUAGES, type Language } from '../i18n/languages';
import { agreementScale } from './default-scales';
import { LEADERSHIP_360_TRANSLATIONS, type Leadership360Texts } from './leadership-360-translations';
import { withTranslations, type QuestionnaireDefinition, type Translations } from './questionnaire-definition';

export const LEADERSHIP_360_ID = 'leadership-360';

// Written for this product: each item is one observable behaviour, phrased so that it reads the
// same for the client rating themself and for a colleague rating them ("... this person ...").
const english: Leadership360Texts = {
  competencies: [
    [
      'Vision and strategy',
      'Sets a clear direction and connects everyday work to the bigger picture.',
      [
        'Describes a clear and compelling direction for the team.',
        "Connects the team's daily work to the organisation's strategy.",
        'Spots trends, risks and opportunities before they become urgent.',
        'Sets clear priorities and declines work that does not serve them.',
        'Balances short-term results with long-term goals.',
      ],
    ],
    [
      'Decision making',
      'Makes timely, well-reasoned decisions and owns them.',
      [
        'Makes decisions in good time, even when information is incomplete.',
        'Seeks the right input before making important decisions.',
        'Explains the reasoning behind decisions.',
        'Stands by decisions once made, while staying open to new facts.',
        'Considers how decisions will affect people and other teams.',
      ],
    ],
    [
      'Communication',
      'Shares information openly and listens as well as speaks.',
      [
        'Listens attentively without interrupting.',
        'Communicates clearly and concisely, in writing and in person.',
        'Keeps people informed about what affects their work.',
        'Adapts the message to the audience.',
        'Raises difficult topics directly and respectfully.',
      ],
    ],
    [
      'Developing others',
      'Helps people grow through feedback, delegation and support.',
      [
        'Gives specific and timely feedback on performance.',
        "Recognises other people's contributions and achievements.",
        "Delegates work that stretches people's abilities.",
        "Takes an active interest in people's career goals.",
        'Makes time to coach and support others when they need it.',
      ],
    ],
    [
      'Collaboration and influence',
      'Builds trust and works across boundaries to get things done.',
      [
        'Builds effective working relationships across the organisation.',
        'Works through disagreements constructively.',
        'Shares information, resources and credit with other teams.',
        'Persuades others with sound arguments rather than with position.',
        'Does what they say they will do.',
      ],
    ],
    [
      'Driving results',
      'Sets high standards and follows through.',
      [
        'Sets clear, measurable goals and expectations.',
        'Holds themself and others accountable for commitments.',
        'Delivers on commitments on time.',
        'Addresses performance problems promptly.',
        'Maintains a high standard of quality in their work.',
      ],
    ],
    [
      'Self-awareness and composure',
      'Knows their impact on others and stays steady under pressure.',
      [
        'Stays calm and constructive under pressure.',
        'Asks for feedback and acts on it.',
        'Admits mistakes and learns from them.',
        'Is aware of how their behaviour affects others.',
        'Manages their emotions in difficult conversations.',
      ],
    ],
    [
      'Leading change',
      'Helps people understand, shape and move through change.',
      [
        'Explains why change is needed in a way people understand.',
        'Encourages new ideas and experimentation.',
        'Adapts plans quickly when circumstances change.',
        'Supports people through uncertainty and setbacks.',
        'Challenges ways of working that no longer serve the organisation.',
      ],
    ],
  ],
  openQuestions: [
    'What does this person do particularly well that they should continue doing?',
    'What could this person start doing, or do more of, to be more effective?',
    'What could this person stop doing, or do less of?',
  ],
};

/** One text of the questionnaire in every language it is translated into. */
function translated<T>(read: (texts: Leadership360Texts) => T): Translations<T> {
  const translations: Translations<T> = {};
  for (const language of LANGUAGES.filter((other): other is Exclude<Language, 'en'> => other !== 'en')) translations[language] = read(LEADERSHIP_360_TRANSLATIONS[language]);
  return translations;
}

/**
 * The questionnaire every installation ships with, written in English and translated into every
 * other language (leadership-360-translations.ts); coaches use it as is or copy it to adapt it.
 */
export const LEADERSHIP_360: QuestionnaireDefinition = {
  name: 'Leadership 360',
  description:
    'Eight leadership competencies with five observable behaviours each, rated on a five-point agreement scale, and three open questions.',
  language: 'en',
  scale: agreementScale(5, 'en'),
  competencies: english.competencies.map(([name, description, items], c) =>
    withTranslations(
      {
        id: `c${c + 1}`,
        name,
        description,
        items: items.map((text, i) => withTranslations({ id: `c${c + 1}i${i + 1}`, text }, translated((texts) => ({ text: texts.competencies[c]![2][i]! })))),
      },
      translated((texts) => ({ name: texts.competencies[c]![0], description: texts.competencies[c]![1] })),
    ),
  ),
  openQuestions: english.openQuestions.map((text, q) => withTranslations({ id: `q${q + 1}`, text }, translated((texts) => ({ text: texts.openQuestions[q]! })))),
};
