import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A disclosure whose contents are built only when first opened: a large document has hundreds of them and
 * most are never opened, so building them all up front would cost seconds of main-thread time.
 */
export const LazyDetails = ({
  summary,
  class: className,
  children,
}: {
  summary: ComponentChildren;
  class?: string;
  children: () => ComponentChildren;
}) => {
  const [opened, setOpened] = useState(false);
  return (
    <details
      class={className}
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) setOpened(true);
      }}
    >
      <summary>{summary}</summary>
      {opened && children()}
    </details>
  );
};
