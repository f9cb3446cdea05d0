import type { Link } from '@shlkit/api';
import { useState } from 'preact/hooks';

// FHIR R4 id.
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export interface RefetchContentProps {
  link: Link;
  busy: boolean;
  /** `POST /api/links/{id}/content/from-fhir` with this patient id. */
  onRefetch(patientId: string): void;
}

/**
 * New content for a long-term (L) link, fetched again from the FHIR server: the patient's current IPS
 * (SHL: an L link's content may change; receivers poll it). The server checks it is an IPS document.
 */
export const RefetchContent = ({ link, busy, onRefetch }: RefetchContentProps) => {
  const [patientId, setPatientId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (!link.longTerm) return null;
  return (
    <form
      class="stack replace"
      onSubmit={(e) => {
        e.preventDefault();
        const id = patientId.trim();
        if (!FHIR_ID.test(id)) {
          setProblem('A FHIR patient id is 1 to 64 letters, digits, "-" and ".".');
          return;
        }
        setProblem(null);
        onRefetch(id);
      }}
    >
      <label>
        Fetch the content again from the FHIR server{' '}
        <span class="hint">(the patient's current International Patient Summary)</span>
        <input
          name="refetchPatientId"
          required
          spellcheck={false}
          placeholder="Patient id"
          value={patientId}
          onInput={(e) => setPatientId(e.currentTarget.value)}
        />
      </label>
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div>
        <button type="submit" class="secondary" disabled={busy}>
          Fetch again
        </button>
      </div>
    </form>
  );
};
