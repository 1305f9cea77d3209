// Summarises V8 .cpuprofile files (written by `node --cpu-prof`) into the functions with the
// most self time, so a bench can say where a scan spends its CPU.
import fs from 'node:fs';
import path from 'node:path';

/** Self time in ms per function (name + file + line), summed over every profile in `dir`. */
export function selfTimes(dir) {
  const totals = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = frames.get(id);
      const where = frame.url ? `${frame.url.replace(/^file:\/\//, '')}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName || '(anonymous)'}\t${where}`;
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return totals;
}

/** The `top` functions by self time: { name, where, ms, share } (share of non-idle time). */
export function hottestFunctions(dir, top = 15) {
  const totals = selfTimes(dir);
  totals.delete('(idle)\t');
  const busy = [...totals.values()].reduce((s, ms) => s + ms, 0);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => {
      const [name, where] = key.split('\t');
      return { name, where, ms, share: busy > 0 ? ms / busy : 0 };
    });
}
