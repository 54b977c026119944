/** Prometheus text format: every sample line parsed (a line that does not parse fails the test). */
export function parseMetrics(text: string): Map<string, number> {
  // Values as Go's ParseFloat (Prometheus's reader) reads them: NaN and Inf in any case (prom-client writes Nan).
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|nan|[+-]?inf))$/i.exec(
      line,
    );
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}
