import { useId, useState, type CSSProperties, type ReactNode } from 'react';
import { define, splitTerms } from '../glossary';

/**
 * A term with its plain-words definition, shown on hover and on keyboard focus. The definition is placed on the
 * screen itself (fixed), so a scrolling column or a clipped badge never cuts it off.
 */
export function Term({ name, children }: { name: string; children: ReactNode }) {
  const id = useId();
  const [at, setAt] = useState<CSSProperties | null>(null);
  const definition = define(name);
  if (!definition) return <>{children}</>;
  const open = (target: HTMLElement) => {
    const box = target.getBoundingClientRect();
    const width = Math.min(360, window.innerWidth - 16);
    setAt({ position: 'fixed', display: 'block', top: box.bottom + 4, left: Math.max(8, Math.min(box.left, window.innerWidth - width - 8)), maxWidth: width });
  };
  return (
    <span
      className="term"
      tabIndex={0}
      aria-describedby={id}
      onMouseEnter={(e) => open(e.currentTarget)}
      onMouseLeave={() => setAt(null)}
      onFocus={(e) => open(e.currentTarget)}
      onBlur={() => setAt(null)}
    >
      {children}
      <span className="term-tip" role="tooltip" id={id} style={at ?? undefined}>
        {definition}
      </span>
    </span>
  );
}

/** Text with each glossary term in it (its first occurrence) explained on hover. */
export function Glossed({ text }: { text: string }) {
  return (
    <>
      {splitTerms(text).map((part, i) =>
        part.term ? (
          <Term key={i} name={part.term}>
            {part.text}
          </Term>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
