import { P } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import { parseCellRef, parseCellValue } from './cell-edit.js';

describe('cells of a broken trace', () => {
  it('reads component.column@row', () => {
    expect(parseCellRef(' register-file.final0@12 ')).toEqual({
      component: 'register-file',
      column: 'final0',
      row: 12,
    });
    expect(() => parseCellRef('add.r0')).toThrow(/write component\.column@row, e\.g\. add\.r0@7/);
    expect(() => parseCellRef('add@3')).toThrow(/is not a cell/);
  });

  it('reads a value, absolute or from the honest one, mod p', () => {
    expect(parseCellValue('5', 9)).toBe(5);
    expect(parseCellValue('+1', 9)).toBe(10);
    expect(parseCellValue('+1', P - 1)).toBe(0);
    expect(parseCellValue('-1', 0)).toBe(P - 1);
    expect(() => parseCellValue(String(P), 0)).toThrow(/a number 0\.\.2147483646/);
    expect(() => parseCellValue('x', 0)).toThrow(/is not a cell value/);
  });
});
