// A Stryker ignorer (stryker.config.mjs `ignorers`): the human-readable message of a coded error is not
// a contract. Callers and tests switch on the error's `code` (style guide: assert codes, not messages), so
// a mutant that only rewrites a message's wording survives by design. This skips the message argument
// (the second and later arguments) of `new <Something>Error(code, message, ...)`, and the message (fourth
// argument) of check-payload's `problem(severity, code, field, message, rule)`; codes, fields, severities
// and every condition around them are still mutated.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const isErrorConstruction = (node) =>
  node?.type === 'NewExpression' && node.callee?.type === 'Identifier' && /Error$/.test(node.callee.name);

const isProblemMessage = (path) =>
  path.parent?.type === 'CallExpression' &&
  path.parent.callee?.type === 'Identifier' &&
  path.parent.callee.name === 'problem' &&
  path.key === 3;

const isMessageText = (node) => node.type === 'StringLiteral' || node.type === 'TemplateLiteral';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'error-messages', {
    shouldIgnore(path) {
      if (
        isMessageText(path.node) &&
        path.listKey === 'arguments' &&
        typeof path.key === 'number' &&
        ((path.key >= 1 && isErrorConstruction(path.parent)) || isProblemMessage(path))
      ) {
        return 'the message of a coded error is wording, not a contract: tests assert the code';
      }
      return undefined;
    },
  }),
];
