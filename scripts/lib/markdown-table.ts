/** Markdown tables with padded columns, laid out the way the formatter (biome) lays out tables in docs/. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // The formatter trims cells, so leading spaces (an attempt at indenting) would not survive it either.
  const cell = (c: string) => c.trim().replaceAll("|", "\\|");
  const body = rows.map((r) => r.map(cell));
  const widths = header.map((h, i) => Math.max(3, h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
