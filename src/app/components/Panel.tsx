import type { ReactNode } from 'react';
import { Glossed } from './Term';

/** A titled panel with a one-paragraph "what am I looking at" explanation. */
export function Panel({
  title,
  help,
  className,
  actions,
  children,
  testId,
  scrolls,
}: {
  title: string;
  help: ReactNode;
  className?: string;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** The body scrolls on its own: it takes the focus, so a keyboard can scroll it. */
  scrolls?: boolean;
}) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId} aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      <p className="panel-help">{typeof help === 'string' ? <Glossed text={help} /> : help}</p>
      {scrolls ? (
        <div className="panel-body" tabIndex={0} role="region" aria-label={`${title} (scrolls)`}>
          {children}
        </div>
      ) : (
        <div className="panel-body">{children}</div>
      )}
    </section>
  );
}
