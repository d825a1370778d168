import { useId, useState, type ReactNode } from 'react';
import { figureSummary, figureSvg, figureTable, type Figure } from '../charts/figure';
import { download } from '../download';
import { svgToPng } from '../share/exports';
import { useApp } from '../store/context';

/** Exported charts: a slide's proportions, drawn at twice this size for the PNG. */
const EXPORT_SIZE = { width: 960, height: 560 };

/** Downloads a figure as a slide-ready SVG or PNG (title, legend and axis names in the page's font). */
export async function exportFigure(figure: Figure, format: 'svg' | 'png', name: string): Promise<void> {
  const font = getComputedStyle(document.documentElement).fontFamily;
  const svg = figureSvg(figure, { font, ...EXPORT_SIZE });
  if (format === 'svg') download(`${name}-${figure.id}.svg`, svg, 'image/svg+xml');
  else download(`${name}-${figure.id}.png`, await svgToPng(svg, EXPORT_SIZE.width, EXPORT_SIZE.height, 2));
}

/** The file name exports start with: the experiment and its seed. */
export function useExportName(): string {
  const config = useApp((s) => s.run.config ?? s.draft);
  return `distillery-${config.kind}-seed${config.seed}`;
}

function FigureTable({ figure }: { figure: Figure }) {
  const { columns, rows } = figureTable(figure);
  return (
    <div className="figure-table" tabIndex={0} role="region" aria-label={`${figure.title}: data`}>
      <table>
        <caption className="visually-hidden">{figure.title}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={j}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A chart with its title and axis names, its legend, a data table to switch to (what a screen reader offers
 * instead of the picture), and its PNG and SVG exports. `children` draws the plot itself.
 */
export function ChartFigure({
  figure,
  testId,
  className,
  children,
  takeaway,
  points,
  showNote = true,
}: {
  figure: Figure;
  testId: string;
  className?: string;
  children: ReactNode;
  /** One line under the plot: what the measured numbers say. */
  takeaway?: string | null;
  /** For tests: how many data points the chart holds. */
  points?: number;
  showNote?: boolean;
}) {
  const [table, setTable] = useState(false);
  const titleId = useId();
  const name = useExportName();
  const empty = figure.series.every((s) => s.points.length === 0);
  return (
    <figure className={`chart-figure ${className ?? ''}`} data-testid={testId} data-points={points} aria-labelledby={titleId}>
      <figcaption className="chart-head">
        <span className="chart-title" id={titleId}>
          {figure.title}
        </span>
        <span className="chart-axes">
          {figure.yLabel} against {figure.xLabel}
        </span>
        <span className="chart-tools">
          <button
            type="button"
            aria-pressed={table}
            onClick={() => setTable(!table)}
            title="Show the numbers as a table"
            data-testid={`${testId}-table-toggle`}
          >
            Table
          </button>
          <button
            type="button"
            disabled={empty}
            onClick={() => void exportFigure(figure, 'png', name)}
            title="Download as PNG (2x, for slides)"
            data-testid={`${testId}-png`}
          >
            PNG
          </button>
          <button type="button" disabled={empty} onClick={() => void exportFigure(figure, 'svg', name)} title="Download as SVG" data-testid={`${testId}-svg`}>
            SVG
          </button>
        </span>
      </figcaption>
      {table ? (
        <FigureTable figure={figure} />
      ) : (
        <div className="chart-plot" role="img" aria-label={figureSummary(figure)}>
          {children}
        </div>
      )}
      <ul className="chart-legend" aria-label="Legend">
        {figure.series.map((s) => (
          <li key={s.key}>
            <span className={s.dashed ? 'swatch dashed' : 'swatch'} style={{ borderColor: s.color }} aria-hidden />
            {s.label}
          </li>
        ))}
      </ul>
      {takeaway && (
        <p className="takeaway" data-testid="takeaway">
          {takeaway}
        </p>
      )}
      {showNote && figure.note && <p className="chart-note">{figure.note}</p>}
    </figure>
  );
}
