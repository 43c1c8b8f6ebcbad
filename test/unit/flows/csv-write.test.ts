import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { passwordsCsv, resultsCsv } from '../../../src/flows/bulk-report.ts';
import { writeCsv } from '../../../src/flows/csv-write.ts';

const HOSTILE = ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://evil")\nline two'];

const cells = (csv: string) => Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;

describe('writeCsv: every CSV the bot writes', () => {
  it('neutralises a cell starting with = + - @ tab or carriage return, also when it spans lines', () => {
    const out = cells(
      writeCsv(
        ['cell'],
        HOSTILE.map((h) => [h]),
      ),
    );
    expect(out.slice(1).map((r) => r[0])).toEqual(HOSTILE.map((h) => `'${h}`));
  });

  it('leaves ordinary cells, numbers and inner formula characters alone, and quotes by RFC 4180', () => {
    const csv = writeCsv(
      ['a', 'b', 'c'],
      [
        ['a=b', 'x, "y"', 42],
        [null, 'ok', true],
      ],
    );
    expect(csv).toBe('a,b,c\r\na=b,"x, ""y""",42\r\n,ok,true');
  });

  it("papaparse's own escapeFormulae: true misses a multi-line formula (why csv-write passes its own pattern)", () => {
    const plain = Papa.unparse([['=HYPERLINK("x")\ny']], { escapeFormulae: true });
    expect(plain.startsWith('"=')).toBe(true);
    expect(
      writeCsv(['c'], [['=HYPERLINK("x")\ny']])
        .split('\r\n')[1]!
        .startsWith(`"'=`),
    ).toBe(true);
  });

  it('results and passwords files go through it', () => {
    const results = cells(resultsCsv([{ subject: '@evil', ok: false, messages: ['=bad', 'second'] }]));
    expect(results[1]).toEqual(["'@evil", 'not created', '', "'=bad | second"]);
    const passwords = cells(passwordsCsv('username,password\n-dash,Abc123!x\nplain,Zy9$abcd'));
    expect(passwords).toEqual([
      ['username', 'password'],
      ["'-dash", 'Abc123!x'],
      ['plain', 'Zy9$abcd'],
    ]);
  });
});
