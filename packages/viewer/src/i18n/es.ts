import { dosageEs } from './dosage-es.js';
import type { Messages } from './en.js';

/** Spanish. */
export const es: Messages = {
  lang: 'es',
  appTitle: 'Visor de resúmenes de salud',
  skipToContent: 'Ir al contenido',
  privacyNote:
    'El enlace se abre solo en este navegador. Su clave nunca sale de este dispositivo; el documento se descifra aquí.',
  entry: {
    heading: 'Abrir un SMART Health Link',
    intro: 'Escanee el código QR con la cámara o pegue el enlace que recibió.',
    pasteLabel: 'SMART Health Link',
    pasteHint: 'Empieza por shlink:/ o por una dirección web que contiene #shlink:/',
    open: 'Abrir enlace',
    scan: 'Escanear un código QR',
    stopScan: 'Detener la cámara',
    scanning: 'Apunte la cámara al código QR.',
    cameraUnavailable: 'No se puede usar la cámara en este navegador. Pegue el enlace.',
    cameraDenied: 'Se denegó el acceso a la cámara. Pegue el enlace.',
    scanNotLink: 'Ese código QR no contiene un SMART Health Link.',
  },
  link: {
    heading: 'Información de salud compartida',
    labelCaption: 'Descripción escrita por quien comparte (no verificada):',
    noLabel: 'Quien comparte no dio ninguna descripción.',
    expires: (date) => `Disponible hasta el ${date}`,
    expired: (date) => `Este enlace caducó el ${date}.`,
    noExpiry: 'Sin fecha de caducidad.',
    passcodeNeeded: 'Se necesita un código de acceso para abrirlo.',
    longTerm: 'Quien comparte puede actualizar esta información con el tiempo.',
    recipientLabel: 'Su nombre u organización',
    recipientHint: 'Obligatorio: quien comparte ve quién abrió el enlace. Se recuerda en este dispositivo.',
    passcodeLabel: 'Código de acceso',
    passcodeHint: 'Quien comparte le da el código aparte del enlace.',
    submit: 'Abrir',
    opening: 'Abriendo…',
    another: 'Abrir otro enlace',
  },
  linkState: {
    expiryUnreadable:
      'La fecha de caducidad de este enlace no se puede leer (puede estar en milisegundos). El servidor decide cuándo deja de funcionar el enlace.',
    insecureHeading: 'Este visor debe servirse por HTTPS',
    insecure:
      'Los navegadores solo descifran en páginas servidas por https:// (o desde este mismo dispositivo). Este visor se abrió por http:// sin cifrar, así que el enlace no se puede abrir aquí y no se ha descargado nada. Pida a quien gestiona el visor que lo sirva por HTTPS.',
    withdrawnHeading: 'Retirado por quien comparte',
    withdrawn:
      'Quien comparte ha marcado esta información como ya no válida. No la tome como actual; pida a quien comparte la información al día.',
    withdrawnPart: 'Quien comparte ha retirado parte de esta información. No tome esa parte como actual:',
    fileWithdrawn: (n, total, status) =>
      total > 1
        ? `El archivo ${n} de ${total} está marcado «${status}».`
        : `El archivo está marcado «${status}».`,
    unknownHeading: 'Estado no reconocido',
    unknown: (statuses) =>
      `El servidor indicó un estado que este visor no conoce: ${statuses}. Consulte con quien comparte antes de fiarse de esta información.`,
    statusNames: {
      'no-longer-valid': 'ya no válido',
      'entered-in-error': 'introducido por error',
      retracted: 'retirado',
    },
    emptyHeading: 'Todavía no se ha compartido nada',
    emptyWaiting: 'Quien comparte aún no ha añadido nada a este enlace. Puede actualizarlo más adelante.',
    emptyFinal: 'Quien comparte no ha compartido nada con este enlace.',
    nextCheck: (time) => `Esta página vuelve a comprobarlo a las ${time}.`,
    checkNow: 'Comprobar ahora',
    checking: 'Comprobando…',
  },
  errors: {
    heading: 'No se pudo abrir el enlace',
    recipientRequired: 'Escriba su nombre u organización.',
    passcodeRequired: 'Escriba el código de acceso.',
    wrongPasscode: (remaining) =>
      remaining === undefined
        ? 'El código de acceso no es correcto.'
        : remaining === 1
          ? 'El código de acceso no es correcto. Queda 1 intento antes de que el enlace se bloquee.'
          : `El código de acceso no es correcto. Quedan ${remaining} intentos antes de que el enlace se bloquee.`,
    inactiveHeading: 'Este enlace ya no está disponible',
    inactive:
      'Ha caducado, quien lo compartió lo revocó, o se bloqueó tras demasiados códigos incorrectos. Pida un enlace nuevo.',
    invalidLink: 'Esto no es un SMART Health Link válido.',
    unsupportedVersion:
      'Este enlace usa una versión más reciente de SMART Health Links que este visor no puede abrir.',
    network:
      'No se pudo contactar con el servidor que guarda la información. Compruebe la conexión y vuelva a intentarlo.',
    rateLimited: (seconds) =>
      seconds === undefined
        ? 'Demasiadas solicitudes. Espere un momento y vuelva a intentarlo.'
        : `Demasiadas solicitudes. Vuelva a intentarlo en ${seconds} s.`,
    decrypt: 'No se pudo descifrar la información con este enlace. Puede estar dañado o incompleto.',
    cryptoUnavailable:
      'Este navegador no puede descifrar aquí porque el visor no se abrió desde una dirección segura (https://). No se descargó nada; abra el visor desde https://.',
    invalidResponse: 'El servidor respondió algo que no es una respuesta de SMART Health Links.',
    tooLarge: 'El archivo compartido es más grande de lo que este visor acepta.',
    notFhir:
      'El archivo compartido no es un registro de salud FHIR ni una SMART Health Card; no se puede mostrar.',
    unknown: 'Algo salió mal al abrir el enlace.',
    details: 'Detalles técnicos',
  },
  document: {
    refresh: 'Buscar actualizaciones',
    refreshing: 'Buscando…',
    lastUpdated: (date) => `Archivo compartido actualizado el ${date}`,
    download: 'Descargar los datos (FHIR JSON)',
    print: 'Imprimir',
    fileHeading: (n, total) => `Archivo ${n} de ${total}`,
    fhirResource: (type) => `FHIR ${type}`,
    apiAccess: 'Este enlace da a un programa acceso a un servidor FHIR; no hay nada que mostrar aquí.',
  },
  ips: {
    patient: 'Paciente',
    born: 'Fecha de nacimiento',
    age: 'Edad',
    ageValue: (age) =>
      age.unit === 'years'
        ? age.max !== undefined
          ? `${age.value}–${age.max} años`
          : age.value === 1
            ? '1 año'
            : `${age.value} años`
        : age.unit === 'months'
          ? age.value === 1
            ? '1 mes'
            : `${age.value} meses`
          : age.value === 1
            ? '1 día'
            : `${age.value} días`,
    deceased: 'Fallecido/a',
    ageAtDeath: (age) => `a los ${age}`,
    gender: 'Sexo',
    identifiers: 'Identificadores',
    author: 'Autor',
    date: 'Fecha del documento',
    custodian: 'Custodio',
    noIpsStructure: (type) =>
      `Este bundle${type ? ` de tipo “${type}”` : ''} no tiene estructura IPS (ninguna Composition con secciones), así que sus entradas se agrupan por tipo.`,
    emptyReason: (reason) => `Sin información: ${reason}`,
    emptySection: 'Esta sección no tiene entradas.',
    emptyReasons: {
      nilknown: 'no se conoce nada',
      notasked: 'no se preguntó',
      withheld: 'información retenida',
      unavailable: 'no disponible',
      notstarted: 'no iniciado',
      closed: 'cerrado',
    },
    narrative: 'Texto tal como lo escribió el autor',
    narrativeOnly: 'Esta sección se muestra tal como la escribió el autor.',
    unresolved: (reference) => `Entrada no encontrada en el documento: ${reference}`,
    showMore: (n) => `Mostrar ${n} más`,
    rowDetails: 'Todos los detalles',
    unlisted: 'Otra información del documento',
    contents: 'Contenido',
    flags: {
      high: 'Alto',
      low: 'Bajo',
      abnormal: 'Anormal',
      critical: 'Crítico',
      normal: 'Normal',
    },
    sections: {
      allergies: 'Alergias e intolerancias',
      medications: 'Medicamentos',
      problems: 'Problemas',
      immunizations: 'Vacunas',
      results: 'Resultados',
      vitalSigns: 'Signos vitales',
      procedures: 'Procedimientos',
      medicalDevices: 'Dispositivos médicos',
      pastIllness: 'Enfermedades pasadas',
      socialHistory: 'Historia social',
      pregnancy: 'Embarazo',
      advanceDirectives: 'Voluntades anticipadas',
      functionalStatus: 'Estado funcional',
      planOfCare: 'Plan de cuidados',
      patientStory: 'Relato del paciente',
      alerts: 'Alertas',
    },
    columns: {
      substance: 'Sustancia',
      medication: 'Medicamento',
      problem: 'Problema',
      vaccine: 'Vacuna',
      test: 'Prueba',
      report: 'Informe',
      procedure: 'Procedimiento',
      device: 'Dispositivo',
      alert: 'Alerta',
      directive: 'Directiva',
      plan: 'Plan',
      document: 'Documento',
      item: 'Elemento',
      category: 'Categoría',
      criticality: 'Criticidad',
      reaction: 'Reacción',
      status: 'Estado',
      severity: 'Gravedad',
      onset: 'Inicio',
      date: 'Fecha',
      dosage: 'Dosis',
      dose: 'Dosis n.º',
      lot: 'Lote',
      value: 'Valor',
      range: 'Intervalo de referencia',
      flag: 'Indicador',
      details: 'Detalles',
    },
  },
  shc: {
    heading: 'SMART Health Card',
    issuer: 'Emisor',
    verified: 'Firma verificada: esta tarjeta la emitió el emisor indicado abajo.',
    notVerified: 'La firma NO es válida. No confíe en esta tarjeta.',
    couldNotVerify: 'No se pudo comprobar la firma (sin conexión, o el emisor no responde).',
    checking: 'Comprobando la firma…',
    issued: 'Emitida',
  },
  generic: {
    empty: '(vacío)',
  },
  values: {
    yes: 'sí',
    no: 'no',
  },
  dosage: dosageEs,
  codes: {
    active: 'activo',
    inactive: 'inactivo',
    resolved: 'resuelto',
    recurrence: 'recurrencia',
    relapse: 'recaída',
    remission: 'remisión',
    confirmed: 'confirmado',
    unconfirmed: 'no confirmado',
    provisional: 'provisional',
    differential: 'diferencial',
    refuted: 'descartado',
    'entered-in-error': 'registrado por error',
    completed: 'completado',
    'not-done': 'no realizado',
    stopped: 'suspendido',
    'on-hold': 'en pausa',
    intended: 'previsto',
    cancelled: 'cancelado',
    draft: 'borrador',
    unknown: 'desconocido',
    final: 'final',
    preliminary: 'preliminar',
    amended: 'modificado',
    corrected: 'corregido',
    registered: 'registrado',
    'in-progress': 'en curso',
    revoked: 'revocado',
    current: 'vigente',
    superseded: 'reemplazado',
    rejected: 'rechazado',
    proposed: 'propuesto',
    male: 'masculino',
    female: 'femenino',
    other: 'otro',
    high: 'alta',
    low: 'baja',
    'unable-to-assess': 'no evaluable',
    allergy: 'alergia',
    intolerance: 'intolerancia',
    food: 'alimento',
    medication: 'medicamento',
    environment: 'ambiente',
    biologic: 'biológico',
    mild: 'leve',
    moderate: 'moderada',
    severe: 'grave',
  },
};
