/**
 * The CSV writer against CSV injection (OWASP): no text cell comes out starting with what a spreadsheet takes as
 * a formula, numbers stay numbers, and every value reads back as one cell of one row.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { chartsCsv, csvCell, curvesCsv, examplesCsv, toCsv } from './csv-export';

/** How a spreadsheet would start reading a cell: after the CSV quoting is undone. */
const readBack = (csv: string): string[][] => Papa.parse<string[]>(csv.replace(/\n$/, ''), { header: false, delimiter: ',' }).data;
const DANGEROUS = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

describe('the CSV writer', () => {
  it('neutralises formulas with a leading quote, as OWASP advises', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(1+1)')).toBe("'@SUM(1+1)");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvCell('  =1+1')).toBe("'  =1+1");
    expect(csvCell('＝1+1')).toBe("'＝1+1");
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
  });

  it("keeps numbers numbers: the project's own and text that is a plain number", () => {
    for (const value of [-2, 1e-3, -0.5, 0, 1e21, -1e-7]) expect(csvCell(value)).toBe(String(value));
    for (const text of ['-2', '+5', '-0.25', '1e-3', '-1.5E+10', '.5']) expect(csvCell(text)).toBe(text);
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-Infinity)).toBe("'-Infinity");
  });

  it('quotes every cell with a comma, a quote, a CR or an LF, so a value never breaks a row', () => {
    expect(toCsv([['a,b', 'say "hi"', 'one\rtwo', 'three\nfour', 'plain']])).toBe('"a,b","say ""hi""","one\rtwo","three\nfour",plain\n');
    expect(
      readBack(
        toCsv([
          ['a', 'x\ry'],
          ['b', 'c'],
        ]),
      ),
    ).toEqual([
      ['a', 'x\ry'],
      ['b', 'c'],
    ]);
  });

  // (Rows of two or more cells: a row of one empty cell is an empty line, which readers skip.)
  it('on any text: one cell per value, read back as the value or the value behind a quote, never as a formula', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ',', '"', "'", ' ', 'a', '1', '.', 'e', '\uff1d'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const back = readBack(toCsv(rows));
        expect(back).toHaveLength(rows.length);
        rows.forEach((row, r) =>
          row.forEach((value, c) => {
            const cell = back[r][c];
            expect(cell === value || cell === `'${value}`).toBe(true);
            if (cell !== `'${value}`) expect(DANGEROUS.test(cell.trimStart()) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)).toBe(false);
          }),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('every export goes through it: curves, research plots and per-example results', () => {
    const stage = '=HYPERLINK("http://x")';
    expect(curvesCsv([{ name: stage, history: [{ step: 0, epoch: 0, loss: -2, testAccuracy: 0.5, validationAccuracy: null, learningRate: 1e-3 }] }])).toBe(
      `stage,step,epoch,loss,test_accuracy,validation_accuracy,learning_rate\n"'=HYPERLINK(""http://x"")",0,0,-2,0.5,,0.001\n`,
    );
    const chart = {
      info: { id: '@chart', title: 't', kind: 'bar' as const, xLabel: 'x', yLabel: 'y', series: [{ key: '+s', label: 's' }] },
      points: { '+s': [{ x: -1, y: -0.5, label: '-2+3' }] },
    };
    expect(chartsCsv([chart])).toBe("chart,series,x,label,y\n'@chart,'+s,-1,'-2+3,-0.5\n");
    expect(examplesCsv(['=1+1', '-2'], [0, 1], [1, 1], [0, 1])).toBe("index,truth,supervisor,student,category\n0,'=1+1,-2,'=1+1,beats\n1,-2,-2,-2,bothRight\n");
  });
});
