import { LANGUAGES, type Language } from '../i18n/languages';
import type { TranslatedScale } from './questionnaire-definition';

/** The points a questionnaire's scale may have. */
export const SCALE_POINTS = [4, 5, 6, 7] as const;

// The agreement scales as survey writers in each language word them (lowest point first), and the
// choice a rater takes when they have not seen the behaviour. Written for this product.
const AGREEMENT: Record<Language, { labels: Record<number, string[]>; naLabel: string }> = {
  en: {
    labels: {
      4: ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'],
      5: ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'],
      6: ['Strongly disagree', 'Disagree', 'Slightly disagree', 'Slightly agree', 'Agree', 'Strongly agree'],
      7: ['Strongly disagree', 'Disagree', 'Slightly disagree', 'Neither agree nor disagree', 'Slightly agree', 'Agree', 'Strongly agree'],
    },
    naLabel: 'Not able to rate',
  },
  fr: {
    labels: {
      4: ['Pas du tout d’accord', 'Pas d’accord', 'D’accord', 'Tout à fait d’accord'],
      5: ['Pas du tout d’accord', 'Pas d’accord', 'Ni d’accord ni pas d’accord', 'D’accord', 'Tout à fait d’accord'],
      6: ['Pas du tout d’accord', 'Pas d’accord', 'Plutôt pas d’accord', 'Plutôt d’accord', 'D’accord', 'Tout à fait d’accord'],
      7: ['Pas du tout d’accord', 'Pas d’accord', 'Plutôt pas d’accord', 'Ni d’accord ni pas d’accord', 'Plutôt d’accord', 'D’accord', 'Tout à fait d’accord'],
    },
    naLabel: 'Je ne suis pas en mesure d’évaluer',
  },
  de: {
    labels: {
      4: ['Stimme überhaupt nicht zu', 'Stimme nicht zu', 'Stimme zu', 'Stimme voll und ganz zu'],
      5: ['Stimme überhaupt nicht zu', 'Stimme nicht zu', 'Teils, teils', 'Stimme zu', 'Stimme voll und ganz zu'],
      6: ['Stimme überhaupt nicht zu', 'Stimme nicht zu', 'Stimme eher nicht zu', 'Stimme eher zu', 'Stimme zu', 'Stimme voll und ganz zu'],
      7: ['Stimme überhaupt nicht zu', 'Stimme nicht zu', 'Stimme eher nicht zu', 'Teils, teils', 'Stimme eher zu', 'Stimme zu', 'Stimme voll und ganz zu'],
    },
    naLabel: 'Kann ich nicht beurteilen',
  },
  es: {
    labels: {
      4: ['Totalmente en desacuerdo', 'En desacuerdo', 'De acuerdo', 'Totalmente de acuerdo'],
      5: ['Totalmente en desacuerdo', 'En desacuerdo', 'Ni de acuerdo ni en desacuerdo', 'De acuerdo', 'Totalmente de acuerdo'],
      6: ['Totalmente en desacuerdo', 'En desacuerdo', 'Algo en desacuerdo', 'Algo de acuerdo', 'De acuerdo', 'Totalmente de acuerdo'],
      7: ['Totalmente en desacuerdo', 'En desacuerdo', 'Algo en desacuerdo', 'Ni de acuerdo ni en desacuerdo', 'Algo de acuerdo', 'De acuerdo', 'Totalmente de acuerdo'],
    },
    naLabel: 'No puedo valorarlo',
  },
  nl: {
    labels: {
      4: ['Helemaal mee oneens', 'Mee oneens', 'Mee eens', 'Helemaal mee eens'],
      5: ['Helemaal mee oneens', 'Mee oneens', 'Neutraal', 'Mee eens', 'Helemaal mee eens'],
      6: ['Helemaal mee oneens', 'Mee oneens', 'Enigszins mee oneens', 'Enigszins mee eens', 'Mee eens', 'Helemaal mee eens'],
      7: ['Helemaal mee oneens', 'Mee oneens', 'Enigszins mee oneens', 'Neutraal', 'Enigszins mee eens', 'Mee eens', 'Helemaal mee eens'],
    },
    naLabel: 'Kan ik niet beoordelen',
  },
};

/**
 * The agreement scale of `points` points written in `language`, with its wording in every other
 * language as translations, so a new questionnaire's scale is covered in all of them from the start.
 *
 * @example
 * agreementScale(4, 'en').labels; // ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree']
 * agreementScale(4, 'en').translations?.de?.naLabel; // 'Kann ich nicht beurteilen'
 */
export function agreementScale(points: number, language: Language): TranslatedScale {
  const translations: NonNullable<TranslatedScale['translations']> = {};
  for (const other of LANGUAGES) {
    if (other !== language) translations[other] = { labels: [...AGREEMENT[other].labels[points]!], naLabel: AGREEMENT[other].naLabel };
  }
  return { points, labels: [...AGREEMENT[language].labels[points]!], naLabel: AGREEMENT[language].naLabel, translations };
}

/** Whether `labels` are one of the agreement scales of `language` (which the editor may swap for another size). */
export function isAgreementScale(labels: string[], language: Language): boolean {
  return Object.values(AGREEMENT[language].labels).some((set) => set.join('\n') === labels.join('\n'));
}
