import type { FhirResource } from '@shlkit/core';
import { asArray, formatDate, formatIdentifier, formatNames, text } from '../fhir/format.js';
import { nameCodes } from '../i18n/name-code.js';
import { useMessages } from '../i18n/select-messages.js';

/** Who the document is about: name, birth date, gender, identifiers, at the top of every IPS. */
export const PatientBanner = ({
  patient,
  level = 1,
}: {
  patient: FhirResource | undefined;
  level?: 1 | 2;
}) => {
  const t = useMessages();
  if (!patient) return null;
  const Heading = `h${level}` as 'h1';
  const identifiers = asArray(patient.identifier)
    .map(formatIdentifier)
    .filter((id) => id.value !== '');
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
                  <li key={`${id.label}:${id.value}`}>
                    {id.label && <span class="muted">{id.label}: </span>}
                    {id.value}
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
