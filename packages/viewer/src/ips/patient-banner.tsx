import type { FhirResource } from '@shlkit/core';
import { useToday } from '../documents/today.js';
import { ageOn } from '../fhir/age.js';
import { asArray, formatDate, formatNames, text } from '../fhir/format.js';
import { formatIdentifier } from '../fhir/identifier.js';
import { nameCodes } from '../i18n/name-code.js';
import { useMessages } from '../i18n/select-messages.js';

/**
 * Who the document is about: name, birth date and age, gender, identifiers, at the top of every IPS.
 * The age is counted to the reader's today: the age a clinician needs is the patient's age now, not at the time the
 * document was written or shared.
 */
export const PatientBanner = ({
  patient,
  level = 1,
}: {
  patient: FhirResource | undefined;
  level?: 1 | 2;
}) => {
  const t = useMessages();
  const today = useToday();
  if (!patient) return null;
  const Heading = `h${level}` as 'h1';
  const identifiers = asArray(patient.identifier)
    .map(formatIdentifier)
    .filter((id) => id.value !== '');
  const deceasedAt = text(patient.deceasedDateTime);
  const deceased = patient.deceasedBoolean === true || deceasedAt !== '';
  // A deceased patient's age is the age at death, when the day is known; else no age at all.
  const deathDay = /^\d{4}-\d{2}-\d{2}/.exec(deceasedAt)?.[0];
  const age = deceased
    ? deathDay
      ? ageOn(patient.birthDate, new Date(`${deathDay}T12:00:00`))
      : undefined
    : ageOn(patient.birthDate, today);
  return (
    <section class="patient-banner" aria-labelledby="patient-name">
      <p class="banner-caption">{t.ips.patient}</p>
      <Heading id="patient-name" tabIndex={-1} data-testid="patient-name">
        {formatNames(patient.name) || text(patient.id)}
      </Heading>
      <dl class="banner-facts">
        {text(patient.birthDate) && (
          <div>
            <dt>{t.ips.born}</dt>
            <dd>{formatDate(patient.birthDate)}</dd>
          </div>
        )}
        {age && !deceased && (
          <div>
            <dt>{t.ips.age}</dt>
            <dd data-testid="patient-age">{t.ips.ageValue(age)}</dd>
          </div>
        )}
        {deceased && (
          <div>
            <dt>{t.ips.deceased}</dt>
            <dd data-testid="patient-deceased">
              {[formatDate(deceasedAt), age ? t.ips.ageAtDeath(t.ips.ageValue(age)) : '']
                .filter(Boolean)
                .join(', ') || t.values.yes}
            </dd>
          </div>
        )}
        {text(patient.gender) && (
          <div>
            <dt>{t.ips.gender}</dt>
            <dd>{nameCodes(text(patient.gender), t)}</dd>
          </div>
        )}
        {identifiers.length > 0 && (
          <div>
            <dt>{t.ips.identifiers}</dt>
            <dd>
              <ul class="identifiers">
                {identifiers.map((id) => (
                  <li key={`${id.label}:${id.system}:${id.value}`}>
                    {id.label && <span class="muted">{id.label}: </span>}
                    {id.value}
                    {id.system && <span class="identifier-system">{id.system}</span>}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
};
