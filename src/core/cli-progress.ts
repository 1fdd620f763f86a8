import cliProgress from "cli-progress";
import type { Progress } from "./control.ts";

/**
 * Shows a long command's progress on the command line: a bar on a terminal, a line every few
 * seconds otherwise (logs, CI). Progress goes to stderr so the command's output stays clean.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): { update: (p: Progress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = 0;
  const fmt = new Intl.NumberFormat("fr-FR");
  return {
    update(p) {
      if (stream.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: p.total ? "{label} [{bar}] {percentage} % | {value}/{total} {unit}" : "{label} {value} {unit}",
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total ?? 0, p.done, { label: p.label ?? "Progression", unit: p.unit ?? "" });
        }
        if (p.total) bar.setTotal(p.total);
        bar.update(p.done, { label: p.label ?? "Progression", unit: p.unit ?? "" });
        return;
      }
      const now = Date.now();
      if (now - lastLine < 5000) return;
      lastLine = now;
      const pct = p.total ? ` (${Math.floor((100 * p.done) / p.total)} %)` : "";
      stream.write(`${p.label ?? "Progression"} : ${fmt.format(p.done)}${p.total ? ` / ${fmt.format(p.total)}` : ""} ${p.unit ?? ""}${pct}\n`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
