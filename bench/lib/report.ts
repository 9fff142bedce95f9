/** Formatting helpers shared by the benchmark scripts. */
export function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Sub-10 figures (a millisecond SELECT) with two decimals, so their ratio can be checked from the table. */
function value(n: number): string {
  return fmt(n, n < 10 ? 2 : 1);
}

export interface Row {
  operation: string;
  eider: number;
  dovecot: number | null;
  unit: string;
  /** Whether a bigger number is better (throughput) or smaller (latency). */
  higherIsBetter: boolean;
}

/** A Markdown table; ratio is "how many times Dovecot's performance Eider reaches" (>1: Eider better). */
export function table(rows: Row[]): string {
  const out = ['| operation | Eider | Dovecot | Eider vs Dovecot |', '| --- | ---: | ---: | ---: |'];
  for (const r of rows) {
    const ratio = r.dovecot === null || r.eider === 0 ? null : r.higherIsBetter ? r.eider / r.dovecot : r.dovecot / r.eider;
    out.push(
      `| ${r.operation} | ${value(r.eider)} ${r.unit} | ${r.dovecot === null ? 'n/a' : `${value(r.dovecot)} ${r.unit}`} | ${ratio === null ? 'n/a' : `${fmt(ratio, 2)}×`} |`,
    );
  }
  return out.join('\n');
}
