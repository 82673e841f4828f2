/*
 * Leadership 360 in French, German, Spanish and Dutch, translated for this product as a 360 is
 * written in each language: every statement is a behaviour of the leader in the third person,
 * without a gendered pronoun where the language lets us avoid one, so it reads the same to the
 * client rating themself and to a colleague. The scale comes from default-scales.ts. Longer than
 * 350 lines because it is data: each language's 59 texts together, as a translator reads them.
 */
import type { Language } from '../i18n/languages';

type FiveItems = [string, string, string, string, string];

/** The texts of Leadership 360 in one language, in the order of the English ones (competency name, description, items). */
export interface Leadership360Texts {
  competencies: Array<[name: string, description: string, items: FiveItems]>;
  openQuestions: [string, string, string];
}

export const LEADERSHIP_360_TRANSLATIONS: Record<Exclude<Language, 'en'>, Leadership360Texts> = {
  fr: {
    competencies: [
      [
        'Vision et stratégie',
        'Donne un cap clair et relie le travail quotidien à la vision d’ensemble.',
        [
          'Décrit pour l’équipe une orientation claire et mobilisatrice.',
          'Relie le travail quotidien de l’équipe à la stratégie de l’organisation.',
          'Repère les tendances, les risques et les opportunités avant qu’ils ne deviennent urgents.',
          'Fixe des priorités claires et écarte ce qui ne les sert pas.',
          'Concilie les résultats à court terme et les objectifs à long terme.',
        ],
      ],
      [
        'Prise de décision',
        'Prend des décisions réfléchies au bon moment et les assume.',
        [
          'Prend ses décisions en temps utile, même lorsque les informations sont incomplètes.',
          'Sollicite les bons avis avant de prendre une décision importante.',
          'Explique le raisonnement qui sous-tend ses décisions.',
          'Maintient ses décisions une fois prises, tout en restant à l’écoute des faits nouveaux.',
          'Tient compte des effets de ses décisions sur les personnes et sur les autres équipes.',
        ],
      ],
      [
        'Communication',
        'Partage l’information ouvertement et sait écouter autant que s’exprimer.',
        [
          'Écoute attentivement, sans interrompre.',
          'Communique de façon claire et concise, à l’écrit comme à l’oral.',
          'Informe chacun de ce qui a une incidence sur son travail.',
          'Adapte son message à ses interlocuteurs.',
          'Aborde les sujets difficiles de manière directe et respectueuse.',
        ],
      ],
      [
        'Développement des talents',
        'Fait grandir les personnes par le feedback, la délégation et le soutien.',
        [
          'Donne en temps utile un feedback précis sur la performance.',
          'Reconnaît les contributions et les réussites des autres.',
          'Délègue des missions qui amènent chacun à élargir ses compétences.',
          'S’intéresse activement aux aspirations professionnelles de chacun.',
          'Prend le temps d’accompagner et de soutenir les autres quand ils en ont besoin.',
        ],
      ],
      [
        'Collaboration et influence',
        'Instaure la confiance et travaille au-delà des cloisonnements pour faire avancer les choses.',
        [
          'Noue des relations de travail efficaces dans toute l’organisation.',
          'Traite les désaccords de manière constructive.',
          'Partage l’information, les ressources et le mérite avec les autres équipes.',
          'Convainc par la solidité de ses arguments plutôt que par sa position hiérarchique.',
          'Joint le geste à la parole.',
        ],
      ],
      [
        'Orientation résultats',
        'Place la barre haut et va jusqu’au bout.',
        [
          'Fixe des objectifs et des attentes clairs et mesurables.',
          'Tient chacun, à commencer par soi-même, responsable de ses engagements.',
          'Respecte ses engagements dans les délais.',
          'Traite sans tarder les problèmes de performance.',
          'Maintient un haut niveau de qualité dans son travail.',
        ],
      ],
      [
        'Connaissance de soi et sang-froid',
        'Mesure son impact sur les autres et ne se laisse pas déstabiliser par la pression.',
        [
          'Garde son calme et une attitude constructive sous la pression.',
          'Sollicite du feedback et en tient compte.',
          'Reconnaît ses erreurs et en tire des enseignements.',
          'A conscience de l’effet de son comportement sur les autres.',
          'Maîtrise ses émotions lors des conversations difficiles.',
        ],
      ],
      [
        'Conduite du changement',
        'Aide chacun à comprendre le changement, à y contribuer et à le traverser.',
        [
          'Explique la nécessité du changement en des termes que chacun comprend.',
          'Encourage les idées nouvelles et l’expérimentation.',
          'Adapte rapidement ses plans lorsque la situation évolue.',
          'Soutient les personnes dans l’incertitude et face aux revers.',
          'Remet en question les façons de travailler qui ne servent plus l’organisation.',
        ],
      ],
    ],
    openQuestions: [
      'Qu’est-ce que cette personne fait particulièrement bien et devrait continuer à faire\u00a0?',
      'Qu’est-ce que cette personne pourrait commencer à faire, ou faire davantage, pour être plus efficace\u00a0?',
      'Qu’est-ce que cette personne pourrait arrêter de faire, ou faire moins\u00a0?',
    ],
  },
  de: {
    competencies: [
      [
        'Vision und Strategie',
        'Gibt eine klare Richtung vor und verbindet die tägliche Arbeit mit dem großen Ganzen.',
        [
          'Beschreibt eine klare und überzeugende Richtung für das Team.',
          'Verknüpft die tägliche Arbeit des Teams mit der Strategie der Organisation.',
          'Erkennt Trends, Risiken und Chancen, bevor sie dringlich werden.',
          'Setzt klare Prioritäten und lehnt Aufgaben ab, die nicht darauf einzahlen.',
          'Bringt kurzfristige Ergebnisse und langfristige Ziele in Einklang.',
        ],
      ],
      [
        'Entscheidungsfindung',
        'Trifft rechtzeitig gut begründete Entscheidungen und steht dafür ein.',
        [
          'Trifft Entscheidungen rechtzeitig, auch wenn die Informationen unvollständig sind.',
          'Holt vor wichtigen Entscheidungen die richtigen Einschätzungen ein.',
          'Erklärt nachvollziehbar, wie Entscheidungen zustande kommen.',
          'Steht zu getroffenen Entscheidungen und bleibt dabei offen für neue Fakten.',
          'Bedenkt, wie sich Entscheidungen auf Menschen und andere Teams auswirken.',
        ],
      ],
      [
        'Kommunikation',
        'Teilt Informationen offen und spricht nicht nur, sondern hört auch zu.',
        [
          'Hört aufmerksam zu, ohne zu unterbrechen.',
          'Kommuniziert klar und prägnant, schriftlich wie im direkten Gespräch.',
          'Hält andere über alles auf dem Laufenden, was ihre Arbeit betrifft.',
          'Stimmt die Botschaft auf die jeweilige Zielgruppe ab.',
          'Spricht schwierige Themen direkt und respektvoll an.',
        ],
      ],
      [
        'Andere entwickeln',
        'Fördert die Entwicklung anderer durch Feedback, Delegation und Unterstützung.',
        [
          'Gibt konkretes und zeitnahes Feedback zur Leistung.',
          'Würdigt die Beiträge und Erfolge anderer.',
          'Delegiert Aufgaben, an denen andere wachsen können.',
          'Interessiert sich aktiv für die beruflichen Ziele anderer.',
          'Nimmt sich Zeit, andere zu coachen und zu unterstützen, wenn sie es brauchen.',
        ],
      ],
      [
        'Zusammenarbeit und Einfluss',
        'Schafft Vertrauen und arbeitet über Bereichsgrenzen hinweg, um etwas zu bewegen.',
        [
          'Baut in der gesamten Organisation tragfähige Arbeitsbeziehungen auf.',
          'Geht konstruktiv mit Meinungsverschiedenheiten um.',
          'Teilt Informationen, Ressourcen und Anerkennung mit anderen Teams.',
          'Überzeugt mit stichhaltigen Argumenten statt kraft der eigenen Position.',
          'Hält Wort.',
        ],
      ],
      [
        'Ergebnisorientierung',
        'Setzt hohe Maßstäbe und bleibt dran, bis das Ziel erreicht ist.',
        [
          'Setzt klare, messbare Ziele und Erwartungen.',
          'Nimmt sich selbst und andere für Zusagen in die Pflicht.',
          'Hält Zusagen termingerecht ein.',
          'Spricht Leistungsprobleme zeitnah an.',
          'Achtet bei der eigenen Arbeit auf hohe Qualität.',
        ],
      ],
      [
        'Selbstwahrnehmung und Gelassenheit',
        'Kennt die eigene Wirkung auf andere und bleibt unter Druck souverän.',
        [
          'Bleibt unter Druck ruhig und konstruktiv.',
          'Bittet um Feedback und setzt es um.',
          'Räumt Fehler ein und lernt daraus.',
          'Ist sich bewusst, wie das eigene Verhalten auf andere wirkt.',
          'Hat die eigenen Emotionen auch in schwierigen Gesprächen im Griff.',
        ],
      ],
      [
        'Veränderung gestalten',
        'Hilft anderen, Veränderungen zu verstehen, mitzugestalten und zu bewältigen.',
        [
          'Erklärt verständlich, warum Veränderung nötig ist.',
          'Ermutigt zu neuen Ideen und zum Experimentieren.',
          'Passt Pläne schnell an, wenn sich die Umstände ändern.',
          'Unterstützt andere in Phasen der Unsicherheit und bei Rückschlägen.',
          'Stellt Arbeitsweisen infrage, die der Organisation nicht mehr dienen.',
        ],
      ],
    ],
    openQuestions: [
      'Was macht diese Person besonders gut und sollte sie beibehalten?',
      'Was könnte diese Person neu anfangen oder öfter tun, um wirksamer zu sein?',
      'Was könnte diese Person lassen oder seltener tun?',
    ],
  },
  es: {
    competencies: [
      [
        'Visión y estrategia',
        'Marca un rumbo claro y conecta el trabajo diario con la visión de conjunto.',
        [
          'Plantea una dirección clara y convincente para el equipo.',
          'Conecta el trabajo diario del equipo con la estrategia de la organización.',
          'Detecta tendencias, riesgos y oportunidades antes de que se vuelvan urgentes.',
          'Establece prioridades claras y descarta las tareas que no contribuyen a ellas.',
          'Equilibra los resultados a corto plazo con los objetivos a largo plazo.',
        ],
      ],
      [
        'Toma de decisiones',
        'Toma a tiempo decisiones bien fundamentadas y las asume.',
        [
          'Toma decisiones a tiempo, incluso cuando la información es incompleta.',
          'Recaba las opiniones adecuadas antes de tomar decisiones importantes.',
          'Explica el razonamiento en el que se basan sus decisiones.',
          'Mantiene sus decisiones una vez tomadas, sin cerrarse a nuevos datos.',
          'Tiene en cuenta cómo afectarán sus decisiones a las personas y a otros equipos.',
        ],
      ],
      [
        'Comunicación',
        'Comparte la información con transparencia y sabe escuchar tanto como hablar.',
        [
          'Escucha con atención, sin interrumpir.',
          'Se comunica de forma clara y concisa, por escrito y en persona.',
          'Mantiene a las personas informadas de lo que afecta a su trabajo.',
          'Adapta el mensaje a sus interlocutores.',
          'Plantea los temas difíciles de forma directa y respetuosa.',
        ],
      ],
      [
        'Desarrollo de personas',
        'Ayuda a las personas a crecer mediante el feedback, la delegación y el apoyo.',
        [
          'Da un feedback concreto y oportuno sobre el desempeño.',
          'Reconoce las aportaciones y los logros de los demás.',
          'Delega tareas que ayudan a las personas a superarse.',
          'Se interesa activamente por las metas profesionales de las personas.',
          'Dedica tiempo a orientar y apoyar a los demás cuando lo necesitan.',
        ],
      ],
      [
        'Colaboración e influencia',
        'Genera confianza y colabora más allá de su área para sacar adelante el trabajo.',
        [
          'Establece relaciones de trabajo eficaces en toda la organización.',
          'Gestiona los desacuerdos de forma constructiva.',
          'Comparte información, recursos y méritos con otros equipos.',
          'Convence con argumentos sólidos y no por su cargo.',
          'Cumple lo que dice.',
        ],
      ],
      [
        'Orientación a resultados',
        'Fija estándares exigentes y lleva las cosas hasta el final.',
        [
          'Fija objetivos y expectativas claros y medibles.',
          'Exige responsabilidad por los compromisos, empezando por los propios.',
          'Cumple sus compromisos en plazo.',
          'Aborda sin demora los problemas de desempeño.',
          'Mantiene un alto nivel de calidad en su trabajo.',
        ],
      ],
      [
        'Autoconocimiento y serenidad',
        'Conoce el efecto que tiene en los demás y no pierde la serenidad bajo presión.',
        [
          'Mantiene la calma y una actitud constructiva bajo presión.',
          'Pide feedback y actúa en consecuencia.',
          'Reconoce sus errores y aprende de ellos.',
          'Es consciente de cómo su comportamiento afecta a los demás.',
          'Gestiona sus emociones en las conversaciones difíciles.',
        ],
      ],
      [
        'Liderazgo del cambio',
        'Ayuda a las personas a entender el cambio, a darle forma y a superarlo.',
        [
          'Explica por qué es necesario el cambio de forma que todos lo entiendan.',
          'Fomenta las ideas nuevas y la experimentación.',
          'Adapta los planes con rapidez cuando cambian las circunstancias.',
          'Apoya a las personas en momentos de incertidumbre y ante los reveses.',
          'Cuestiona las formas de trabajar que ya no sirven a la organización.',
        ],
      ],
    ],
    openQuestions: [
      '¿Qué hace esta persona especialmente bien y debería seguir haciendo?',
      '¿Qué podría empezar a hacer esta persona, o hacer más, para ser más eficaz?',
      '¿Qué podría dejar de hacer esta persona, o hacer menos?',
    ],
  },
  nl: {
    competencies: [
      [
        'Visie en strategie',
        'Geeft een duidelijke richting aan en verbindt het dagelijkse werk met het grotere geheel.',
        [
          'Schetst een duidelijke en aansprekende richting voor het team.',
          'Verbindt het dagelijkse werk van het team met de strategie van de organisatie.',
          'Signaleert trends, risico’s en kansen voordat ze urgent worden.',
          'Stelt duidelijke prioriteiten en zegt nee tegen werk dat daar niet aan bijdraagt.',
          'Brengt resultaten op korte termijn in balans met doelen op lange termijn.',
        ],
      ],
      [
        'Besluitvorming',
        'Neemt tijdig weloverwogen besluiten en staat erachter.',
        [
          'Neemt tijdig besluiten, ook als de informatie onvolledig is.',
          'Vraagt vóór belangrijke besluiten de juiste mensen om input.',
          'Licht de redenering achter besluiten toe.',
          'Blijft bij genomen besluiten en staat open voor nieuwe feiten.',
          'Houdt rekening met de gevolgen van besluiten voor mensen en andere teams.',
        ],
      ],
      [
        'Communicatie',
        'Deelt informatie open en is een goede luisteraar.',
        [
          'Luistert aandachtig zonder te onderbreken.',
          'Communiceert helder en beknopt, zowel schriftelijk als mondeling.',
          'Houdt mensen op de hoogte van wat hun werk raakt.',
          'Stemt de boodschap af op de doelgroep.',
          'Brengt lastige onderwerpen direct en respectvol ter sprake.',
        ],
      ],
      [
        'Anderen ontwikkelen',
        'Helpt mensen groeien met feedback, delegeren en ondersteuning.',
        [
          'Geeft concrete en tijdige feedback op prestaties.',
          'Erkent de bijdragen en successen van anderen.',
          'Delegeert werk waarmee mensen hun grenzen verleggen.',
          'Toont actief belangstelling voor de loopbaandoelen van mensen.',
          'Maakt tijd vrij om anderen te coachen en te steunen wanneer ze dat nodig hebben.',
        ],
      ],
      [
        'Samenwerking en invloed',
        'Bouwt vertrouwen op en werkt over grenzen heen om resultaten te boeken.',
        [
          'Bouwt in de hele organisatie effectieve werkrelaties op.',
          'Gaat constructief om met meningsverschillen.',
          'Deelt informatie, middelen en de eer met andere teams.',
          'Overtuigt anderen met sterke argumenten in plaats van met hiërarchie.',
          'Laat woorden door daden volgen.',
        ],
      ],
      [
        'Resultaatgerichtheid',
        'Legt de lat hoog en zet door tot het resultaat er is.',
        [
          'Stelt duidelijke, meetbare doelen en verwachtingen.',
          'Spreekt zichzelf en anderen aan op gemaakte afspraken.',
          'Komt toezeggingen op tijd na.',
          'Pakt prestatieproblemen snel aan.',
          'Levert consequent werk van hoge kwaliteit.',
        ],
      ],
      [
        'Zelfkennis en zelfbeheersing',
        'Kent de eigen invloed op anderen en blijft stabiel onder druk.',
        [
          'Blijft kalm en constructief onder druk.',
          'Vraagt om feedback en doet er iets mee.',
          'Geeft fouten toe en leert ervan.',
          'Is zich bewust van het effect van het eigen gedrag op anderen.',
          'Houdt de eigen emoties in bedwang tijdens lastige gesprekken.',
        ],
      ],
      [
        'Leidinggeven aan verandering',
        'Helpt mensen verandering te begrijpen, vorm te geven en erdoorheen te komen.',
        [
          'Legt begrijpelijk uit waarom verandering nodig is.',
          'Moedigt nieuwe ideeën en experimenten aan.',
          'Past plannen snel aan als de omstandigheden veranderen.',
          'Steunt mensen bij onzekerheid en tegenslagen.',
          'Stelt werkwijzen ter discussie die de organisatie niet langer dienen.',
        ],
      ],
    ],
    openQuestions: [
      'Wat doet deze persoon bijzonder goed en moet vooral zo blijven?',
      'Wat zou deze persoon kunnen gaan doen, of vaker doen, om effectiever te zijn?',
      'Wat zou deze persoon kunnen laten, of minder vaak doen?',
    ],
  },
};
