import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';

/**
 * What a document to share is, before it is shared: the answer of `POST /api/links/from-fhir/preview`, and
 * what the admin app shows for an uploaded file (`ContentPreview` of `@shlkit/core`, which computes both).
 * Every string is the document's own text (untrusted: show it as text).
 */
export const ContentPreviewSchema = Type.Object({
  kind: Type.String({
    description:
      'what this is, in words: `International Patient Summary`, `FHIR Patient`, `2 SMART Health Cards`',
  }),
  patient: Nullable(Type.String({ description: "the patient's name as the document gives it" })),
  sections: Type.Array(
    Type.Object({
      title: Type.String(),
      entries: Type.Integer({ minimum: 0, description: 'how many entries the section lists' }),
    }),
    { description: "the document's sections (an IPS's Composition.section), in document order" },
  ),
  resourceCounts: Type.Array(Type.Object({ type: Type.String(), count: Type.Integer({ minimum: 1 }) }), {
    description: 'resources by type, for a Bundle that is not a document; empty otherwise',
  }),
});

export type ContentPreviewAnswer = Static<typeof ContentPreviewSchema>;
