import { useEffect, useId, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * A modal sheet over the page: it takes the focus when it opens (and gives it back when it closes), keeps Tab
 * inside itself, closes on Escape, a click outside or its Close button, and keeps the page's shortcuts (Space,
 * captions' arrows) from acting behind it.
 */
export function Dialog({
  title,
  onClose,
  testId,
  className,
  overlayClassName,
  actions,
  closeTestId,
  children,
}: {
  title: string;
  onClose: () => void;
  testId?: string;
  className?: string;
  /** A class for the shade around the sheet (tall-overlay: a sheet with charts, nearer the top). */
  overlayClassName?: string;
  /** Controls beside the title (a tab switch). */
  actions?: ReactNode;
  closeTestId?: string;
  children: ReactNode;
}) {
  const sheet = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = sheet.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? sheet.current)?.focus();
    return () => opener?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close.current();
    } else if (event.key === 'Tab' && sheet.current) {
      const items = [...sheet.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.offsetParent !== null);
      if (items.length === 0) return;
      const [head, tail] = [items[0], items[items.length - 1]];
      if (event.shiftKey && document.activeElement === head) {
        event.preventDefault();
        tail.focus();
      } else if (!event.shiftKey && document.activeElement === tail) {
        event.preventDefault();
        head.focus();
      }
    }
    // The page's own shortcuts stay behind the modal.
    event.stopPropagation();
  };

  return (
    <div className={`gallery-overlay ${overlayClassName ?? ''}`} onClick={onClose}>
      <div
        ref={sheet}
        className={`gallery-sheet ${className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <header className="panel-head">
          <h2 id={titleId}>{title}</h2>
          {actions}
          <button type="button" onClick={onClose} data-testid={closeTestId}>
            Close
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
