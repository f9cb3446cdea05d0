// A Stryker ignorer (stryker.config.mjs `ignorers`): wording is not a contract.
//
// - The human-readable message of a coded error. Callers and tests switch on the error's `code` (style
//   guide: assert codes, not messages), so a mutant that only rewrites a message's wording survives by
//   design. This skips the message argument (the second and later arguments) of
//   `new <Something>Error(code, message, ...)` and of `publicErrorAnswer(code, message)`, and the message
//   (fourth argument) of check-payload's `problem(severity, code, field, message, rule)`.
// - The `description`, `summary` and `tags` of a schema: what the OpenAPI document shows a reader (and how
//   it groups routes); nothing a request or an answer can observe.
//
// Codes, fields, severities, schema constraints and every condition around them are still mutated.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const isErrorConstruction = (node) =>
  node?.type === 'NewExpression' && node.callee?.type === 'Identifier' && /Error$/.test(node.callee.name);

const isErrorAnswer = (node) =>
  node?.type === 'CallExpression' &&
  node.callee?.type === 'Identifier' &&
  node.callee.name === 'publicErrorAnswer';

const isProblemMessage = (path) =>
  path.parent?.type === 'CallExpression' &&
  path.parent.callee?.type === 'Identifier' &&
  path.parent.callee.name === 'problem' &&
  path.key === 3;

const DOCUMENTATION_KEYS = new Set(['description', 'summary', 'tags']);

const isDocumentationValue = (path) =>
  path?.parent?.type === 'ObjectProperty' &&
  path.key === 'value' &&
  !path.parent.computed &&
  path.parent.key?.type === 'Identifier' &&
  DOCUMENTATION_KEYS.has(path.parent.key.name);

/** The value of a `description`, `summary` or `tags` property, or a string inside a `tags` array. */
const isDocumentation = (path) =>
  isDocumentationValue(path) ||
  (path.parentPath?.node?.type === 'ArrayExpression' && isDocumentationValue(path.parentPath));

const isMessageText = (node) => node.type === 'StringLiteral' || node.type === 'TemplateLiteral';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'error-messages', {
    shouldIgnore(path) {
      if (path.node.type === 'ArrayExpression' && isDocumentationValue(path)) {
        return 'schema tags group the OpenAPI document for a reader; no request or answer sees them';
      }
      if (!isMessageText(path.node)) return undefined;
      if (
        path.listKey === 'arguments' &&
        typeof path.key === 'number' &&
        ((path.key >= 1 && (isErrorConstruction(path.parent) || isErrorAnswer(path.parent))) ||
          isProblemMessage(path))
      ) {
        return 'the message of a coded error is wording, not a contract: tests assert the code';
      }
      if (isDocumentation(path)) {
        return 'schema description text is what the OpenAPI document shows a reader; no request or answer sees it';
      }
      return undefined;
    },
  }),
];
