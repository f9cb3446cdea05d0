import type { IpsSectionKey } from '@shlkit/core';
import type { Age } from '../fhir/age.js';
import type { ColumnKey } from '../ips/row.js';
import { dosageEn } from './dosage-en.js';

/** Every string the viewer shows, in English. Other languages implement the same shape. */
export const en = {
  lang: 'en',
  appTitle: 'Health summary viewer',
  skipToContent: 'Skip to content',
  privacyNote:
    'The link is opened in this browser only. Its key never leaves this device; the document is decrypted here.',
  entry: {
    heading: 'Open a SMART Health Link',
    intro: 'Scan the QR code with the camera, or paste the link you were given.',
    pasteLabel: 'SMART Health Link',
    pasteHint: 'Starts with shlink:/ or with a web address that contains #shlink:/',
    open: 'Open link',
    scan: 'Scan a QR code',
    stopScan: 'Stop camera',
    scanning: 'Point the camera at the QR code.',
    cameraUnavailable: 'The camera cannot be used in this browser. Paste the link instead.',
    cameraDenied: 'Camera access was refused. Paste the link instead.',
    scanNotLink: 'That QR code does not hold a SMART Health Link.',
  },
  link: {
    heading: 'Shared health information',
    labelCaption: 'Description written by the sender (not verified):',
    noLabel: 'The sender gave no description.',
    expires: (date: string) => `Available until ${date}`,
    expired: (date: string) => `This link expired on ${date}.`,
    noExpiry: 'No expiry date given.',
    passcodeNeeded: 'A passcode is needed to open it.',
    longTerm: 'The sender may update this information over time.',
    recipientLabel: 'Your name or organisation',
    recipientHint: 'Required: the sender sees who opened the link. Remembered on this device.',
    passcodeLabel: 'Passcode',
    passcodeHint: 'The sender gives the passcode separately from the link.',
    submit: 'Open',
    opening: 'Opening…',
    another: 'Open another link',
  },
  /** The link's own state: expiry that is no date, withdrawn content, nothing shared yet, no HTTPS. */
  linkState: {
    expiryUnreadable:
      'The expiry date in this link cannot be read (it may be written in milliseconds). The server decides when the link stops working.',
    insecureHeading: 'This viewer must be served over HTTPS',
    insecure:
      'Browsers decrypt only on pages served over https:// (or from this device itself). This viewer was opened over plain http://, so the link cannot be opened here, and nothing has been fetched. Ask whoever runs the viewer to serve it over HTTPS.',
    withdrawnHeading: 'Withdrawn by the sender',
    withdrawn:
      'The sender has marked this information as no longer valid. Do not rely on it as current; ask the sender for up-to-date information.',
    withdrawnPart: 'The sender has withdrawn part of this information. Do not rely on that part as current:',
    fileWithdrawn: (n: number, total: number, status: string) =>
      total > 1 ? `File ${n} of ${total} is marked “${status}”.` : `The file is marked “${status}”.`,
    unknownHeading: 'Status not recognised',
    unknown: (statuses: string) =>
      `The server gave a status this viewer does not know: ${statuses}. Check with the sender before relying on this information.`,
    statusNames: {
      'no-longer-valid': 'no longer valid',
      'entered-in-error': 'entered in error',
      retracted: 'retracted',
    } as Record<string, string>,
    emptyHeading: 'Nothing has been shared yet',
    emptyWaiting: 'The sender has not added anything to this link yet. It may be updated later.',
    emptyFinal: 'The sender has shared nothing under this link.',
    nextCheck: (time: string) => `This page checks again at ${time}.`,
    checkNow: 'Check now',
    checking: 'Checking…',
  },
  errors: {
    heading: 'The link could not be opened',
    recipientRequired: 'Enter your name or organisation.',
    passcodeRequired: 'Enter the passcode.',
    wrongPasscode: (remaining: number | undefined) =>
      remaining === undefined
        ? 'The passcode is not correct.'
        : remaining === 1
          ? 'The passcode is not correct. 1 attempt remains before the link is locked.'
          : `The passcode is not correct. ${remaining} attempts remain before the link is locked.`,
    inactiveHeading: 'This link is no longer available',
    inactive:
      'It has expired, been revoked by the sender, or been locked after too many wrong passcodes. Ask the sender for a new link.',
    invalidLink: 'This is not a valid SMART Health Link.',
    unsupportedVersion: 'This link uses a newer version of SMART Health Links that this viewer cannot open.',
    network: 'The server holding the information could not be reached. Check the connection and try again.',
    rateLimited: (seconds: number | undefined) =>
      seconds === undefined
        ? 'Too many requests. Wait a moment and try again.'
        : `Too many requests. Try again in ${seconds} s.`,
    decrypt: 'The information could not be decrypted with this link. The link may be damaged or incomplete.',
    cryptoUnavailable:
      'This browser cannot decrypt here because the viewer was not opened over a secure (https://) address. Nothing was fetched; open the viewer through https://.',
    invalidResponse: 'The server answered with something that is not a SMART Health Link response.',
    tooLarge: 'The shared file is larger than this viewer accepts.',
    notFhir: 'The shared file is not a FHIR health record or a SMART Health Card, so it cannot be shown.',
    unknown: 'Something went wrong while opening the link.',
    details: 'Technical details',
  },
  document: {
    refresh: 'Check for updates',
    refreshing: 'Checking…',
    // The manifest's lastUpdated: when the sender last changed the shared file, not the document's date.
    lastUpdated: (date: string) => `Shared file updated ${date}`,
    download: 'Download the data (FHIR JSON)',
    print: 'Print',
    fileHeading: (n: number, total: number) => `File ${n} of ${total}`,
    fhirResource: (type: string) => `FHIR ${type}`,
    apiAccess: 'This link gives a program access to a FHIR server; it has nothing to show here.',
  },
  ips: {
    patient: 'Patient',
    born: 'Born',
    age: 'Age',
    ageValue: (age: Age) =>
      age.unit === 'years'
        ? age.max !== undefined
          ? `${age.value}–${age.max} years`
          : age.value === 1
            ? '1 year'
            : `${age.value} years`
        : age.unit === 'months'
          ? age.value === 1
            ? '1 month'
            : `${age.value} months`
          : age.value === 1
            ? '1 day'
            : `${age.value} days`,
    deceased: 'Deceased',
    ageAtDeath: (age: string) => `at ${age}`,
    gender: 'Gender',
    identifiers: 'Identifiers',
    author: 'Author',
    date: 'Document date',
    custodian: 'Custodian',
    noIpsStructure: (type: string) =>
      `This ${type ? `“${type}” ` : ''}bundle has no IPS structure (no Composition with sections), so its entries are grouped by type.`,
    emptyReason: (reason: string) => `No information: ${reason}`,
    emptySection: 'This section lists no entries.',
    // HL7 list-empty-reason codes.
    emptyReasons: {
      nilknown: 'nothing known',
      notasked: 'not asked',
      withheld: 'withheld',
      unavailable: 'unavailable',
      notstarted: 'not started',
      closed: 'closed',
    } as Record<string, string>,
    narrative: 'Text as written by the author',
    narrativeOnly: 'This section is shown as the author wrote it.',
    unresolved: (reference: string) => `Entry not found in the document: ${reference}`,
    showMore: (n: number) => `Show ${n} more`,
    rowDetails: 'All details',
    unlisted: 'Other information in the document',
    contents: 'Contents',
    flags: {
      high: 'High',
      low: 'Low',
      abnormal: 'Abnormal',
      critical: 'Critical',
      normal: 'Normal',
    },
    sections: {
      allergies: 'Allergies and intolerances',
      medications: 'Medications',
      problems: 'Problems',
      immunizations: 'Immunizations',
      results: 'Results',
      vitalSigns: 'Vital signs',
      procedures: 'Procedures',
      medicalDevices: 'Medical devices',
      pastIllness: 'Past illnesses',
      socialHistory: 'Social history',
      pregnancy: 'Pregnancy',
      advanceDirectives: 'Advance directives',
      functionalStatus: 'Functional status',
      planOfCare: 'Plan of care',
      patientStory: 'Patient story',
      alerts: 'Alerts',
    } satisfies Record<IpsSectionKey, string>,
    columns: {
      substance: 'Substance',
      medication: 'Medication',
      problem: 'Problem',
      vaccine: 'Vaccine',
      test: 'Test',
      report: 'Report',
      procedure: 'Procedure',
      device: 'Device',
      alert: 'Alert',
      directive: 'Directive',
      plan: 'Plan',
      document: 'Document',
      item: 'Item',
      category: 'Category',
      criticality: 'Criticality',
      reaction: 'Reaction',
      status: 'Status',
      severity: 'Severity',
      onset: 'Onset',
      date: 'Date',
      dosage: 'Dosage',
      dose: 'Dose',
      lot: 'Lot',
      value: 'Value',
      range: 'Reference range',
      flag: 'Flag',
      details: 'Details',
    } satisfies Record<ColumnKey, string>,
  },
  shc: {
    heading: 'SMART Health Card',
    issuer: 'Issuer',
    verified: 'Signature verified: this card was issued by the issuer below.',
    notVerified: 'The signature does NOT verify. Do not trust this card.',
    couldNotVerify: 'The signature could not be checked (offline, or the issuer is unreachable).',
    checking: 'Checking the signature…',
    issued: 'Issued',
  },
  generic: {
    empty: '(empty)',
  },
  values: {
    yes: 'yes',
    no: 'no',
  },
  dosage: dosageEn,
  /**
   * FHIR codes that documents carry as bare codes (status, gender, criticality...), named for people. A code
   * not listed is shown as it is.
   */
  codes: {
    active: 'active',
    inactive: 'inactive',
    resolved: 'resolved',
    recurrence: 'recurrence',
    relapse: 'relapse',
    remission: 'remission',
    confirmed: 'confirmed',
    unconfirmed: 'unconfirmed',
    provisional: 'provisional',
    differential: 'differential',
    refuted: 'refuted',
    'entered-in-error': 'entered in error',
    completed: 'completed',
    'not-done': 'not done',
    stopped: 'stopped',
    'on-hold': 'on hold',
    intended: 'intended',
    cancelled: 'cancelled',
    draft: 'draft',
    unknown: 'unknown',
    final: 'final',
    preliminary: 'preliminary',
    amended: 'amended',
    corrected: 'corrected',
    registered: 'registered',
    'in-progress': 'in progress',
    revoked: 'revoked',
    current: 'current',
    superseded: 'superseded',
    rejected: 'rejected',
    proposed: 'proposed',
    male: 'male',
    female: 'female',
    other: 'other',
    high: 'high',
    low: 'low',
    'unable-to-assess': 'unable to assess',
    allergy: 'allergy',
    intolerance: 'intolerance',
    food: 'food',
    medication: 'medication',
    environment: 'environment',
    biologic: 'biologic',
    mild: 'mild',
    moderate: 'moderate',
    severe: 'severe',
  } as Record<string, string>,
};

export type Messages = typeof en;
