// Scores a scanner's findings against the corpus labels, by place: a finding on a line of a
// labelled secret finds it (when the finding carries its secret, the two must overlap, so a
// wrong value on the right line does not count); any other finding is a false positive
// (attributed to the decoy labelled there, else "unlabelled"). Both scanners are scored the
// same way.

/** Secrets compared without whitespace and `\n` escapes (a PEM in JSON vs as written). */
const normal = (s) => s.replace(/\\[nr]|\s/g, '');

/** A reported value and, when it is base64 of text, what it decodes to (`auth` = b64(user:token)). */
function readings(value) {
  const plain = normal(value);
  if (!/^[A-Za-z0-9+/]{12,}={0,2}$/.test(plain)) return [plain];
  const decoded = Buffer.from(plain, 'base64').toString('latin1');
  return /^[\x20-\x7e]+$/.test(decoded) ? [plain, decoded] : [plain];
}

function sameSecret(label, hit) {
  if (hit.secret === undefined || label.secret === undefined) return true;
  const a = normal(label.secret);
  return readings(hit.secret).some((b) => Math.min(a.length, b.length) >= 8 && (a.includes(b) || b.includes(a)));
}

/** @param labels [{ file, line, endLine, type, kind, secret? }]; @param hits [{ file, line, ruleId, secret? }] */
export function score(labels, hits) {
  const byFile = new Map();
  for (const label of labels) {
    if (!byFile.has(label.file)) byFile.set(label.file, []);
    byFile.get(label.file).push(label);
  }
  const found = new Set();
  const flaggedDecoys = new Set();
  const truePlaces = new Set();
  const falsePlaces = new Map();
  for (const hit of hits) {
    const here = (byFile.get(hit.file) ?? []).filter((l) => hit.line >= l.line && hit.line <= (l.endLine ?? l.line));
    const secrets = here.filter((l) => l.type === 'secret' && sameSecret(l, hit));
    const place = `${hit.file}:${hit.line}`;
    if (secrets.length > 0) {
      secrets.forEach((l) => found.add(l));
      truePlaces.add(place);
      continue;
    }
    const decoy = here.find((l) => l.type === 'decoy');
    if (decoy) flaggedDecoys.add(decoy);
    const fp = falsePlaces.get(place) ?? { place, kind: decoy?.kind ?? 'unlabelled', rules: new Set() };
    fp.rules.add(hit.ruleId);
    falsePlaces.set(place, fp);
  }
  const secrets = labels.filter((l) => l.type === 'secret');
  const recall = secrets.length === 0 ? 1 : found.size / secrets.length;
  const flagged = truePlaces.size + falsePlaces.size;
  const precision = flagged === 0 ? 1 : truePlaces.size / flagged;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const kinds = new Map();
  for (const l of labels) {
    const k = kinds.get(`${l.type}:${l.kind}`) ?? { type: l.type, kind: l.kind, total: 0, hit: 0 };
    k.total++;
    if (found.has(l) || flaggedDecoys.has(l)) k.hit++;
    kinds.set(`${l.type}:${l.kind}`, k);
  }
  const unlabelled = [...falsePlaces.values()].filter((f) => f.kind === 'unlabelled').length;
  if (unlabelled > 0) kinds.set('decoy:unlabelled', { type: 'decoy', kind: 'unlabelled', total: 0, hit: unlabelled });
  return {
    recall,
    precision,
    f1,
    truePositives: truePlaces.size,
    falsePositives: falsePlaces.size,
    secrets: secrets.length,
    kinds: [...kinds.values()].sort((a, b) => a.type.localeCompare(b.type) || a.kind.localeCompare(b.kind)),
    misses: secrets.filter((l) => !found.has(l)),
    falsePositiveList: [...falsePlaces.values()].map((f) => ({ ...f, rules: [...f.rules] })),
  };
}
