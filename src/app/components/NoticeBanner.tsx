import { useApp } from '../store/context';

/** What was wrong with the link or file the experiment came from; the page works on regardless. */
export function NoticeBanner() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div className="banner notice" role="status" data-testid="link-notice">
      <ul>
        {notices.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss} aria-label="Dismiss">
        OK
      </button>
    </div>
  );
}
