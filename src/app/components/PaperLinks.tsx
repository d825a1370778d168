import type { Paper } from '../../core/experiments/kind';

/** Links to the papers a preset reproduces or illustrates (they open on the publisher's site, in a new tab). */
export function PaperLinks({ papers }: { papers?: readonly Paper[] }) {
  if (!papers?.length) return null;
  return (
    <span className="papers" data-testid="papers">
      {papers.length === 1 ? 'Paper: ' : 'Papers: '}
      {papers.map((paper, i) => (
        <span key={paper.url}>
          {i > 0 && ', '}
          <a href={paper.url} target="_blank" rel="noopener noreferrer" title={paper.title}>
            {paper.cite}
          </a>
        </span>
      ))}
    </span>
  );
}
