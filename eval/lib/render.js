// Writes items (key/value pairs, code references, raw lines) as files of many formats, and
// records the 1-based lines each item occupies so the scorer can match findings to labels.

const STAMP0 = Date.UTC(2024, 4, 1, 10, 0, 0);

function words(key) {
  return key.split(/[_.-]|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean).map((w) => w.toLowerCase());
}
const upper = (key) => words(key).join('_').toUpperCase();
const snake = (key) => words(key).join('_');
const camel = (key) => words(key).map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
const pascal = (key) => words(key).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
/** Keys a provider rule reads (dd_api_key, twilio_api_key) keep their separators. */
const styled = (item, style) => (item.fixedKey && (style === camel || style === pascal) ? snake(item.key) : style(item.key));

const dq = (v) => JSON.stringify(v);
const xmlEscape = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const maybeQuoted = (v) => (/[\s#"'$]/.test(v) ? dq(v) : v);

function stamp(rng, i) {
  return new Date(STAMP0 + i * 1375 + rng.int(0, 999)).toISOString();
}

/**
 * Formats: extension, header/footer lines, and how one item becomes lines. `multiline` says
 * whether a value with newlines can be written; others get such items never (see generate.js).
 */
export const FORMATS = {
  env: { ext: '.env', multiline: false, line: (it) => `${styled(it, upper)}=${maybeQuoted(it.value)}` },
  yaml: {
    ext: '.yaml',
    multiline: true,
    header: ['# service configuration', 'service:', '  name: orders', 'settings:'],
    line: (it) =>
      it.multiline
        ? [`  ${styled(it, snake)}: |`, ...it.value.split('\n').map((l) => `    ${l}`)]
        : `  ${styled(it, snake)}: ${it.code || it.quoted === false ? it.value : dq(it.value)}`,
  },
  json: {
    ext: '.json',
    multiline: true,
    header: ['{', '  "service": "orders",'],
    footer: ['  "version": 3', '}'],
    line: (it) => `  ${dq(styled(it, snake))}: ${dq(it.value)},`,
  },
  toml: { ext: '.toml', multiline: false, header: ['[app]', 'name = "orders"'], line: (it) => `${styled(it, snake)} = ${dq(it.value)}` },
  ini: { ext: '.ini', multiline: false, header: ['[database]', 'host = db.internal'], line: (it) => `${styled(it, snake)} = ${it.value}` },
  properties: {
    ext: '.properties',
    multiline: false,
    header: ['# application properties', 'server.port=8080'],
    line: (it) => `${it.fixedKey ? snake(it.key) : 'app.' + words(it.key).join('.')}=${it.value}`,
  },
  hcl: {
    ext: '.tf',
    multiline: true,
    header: ['resource "app_config" "main" {', '  name = "orders"'],
    footer: ['}'],
    line: (it) =>
      it.multiline
        ? [`  ${styled(it, snake)} = <<EOT`, ...it.value.split('\n'), 'EOT']
        : `  ${styled(it, snake)} = ${it.code ? it.value : dq(it.value)}`,
  },
  shell: { ext: '.sh', multiline: false, header: ['#!/usr/bin/env bash', 'set -euo pipefail'], line: (it) => `export ${styled(it, upper)}=${it.code ? dq(it.value) : dq(it.value)}` },
  python: {
    ext: '.py',
    multiline: true,
    header: ['import os', '', '# settings'],
    line: (it) =>
      it.multiline ? [`${styled(it, upper)} = """${it.value.split('\n')[0]}`, ...it.value.split('\n').slice(1), '"""'] : `${styled(it, upper)} = ${it.code ? it.value : dq(it.value)}`,
  },
  js: { ext: '.js', multiline: false, header: ["'use strict';", ''], footer: ['module.exports = {};'], line: (it) => `const ${styled(it, camel)} = ${it.code ? it.value : `'${it.value}'`};` },
  ts: { ext: '.ts', multiline: false, header: ['// generated config', ''], line: (it) => `export const ${styled(it, camel)}: string = ${it.code ? it.value : dq(it.value)};` },
  go: {
    ext: '.go',
    multiline: false,
    header: ['package config', '', 'import "os"', '', 'var _ = os.Getenv', '', 'var Default = Config{'],
    footer: ['}'],
    line: (it) => `\t${styled(it, pascal)}: ${it.code ? it.value : dq(it.value)},`,
  },
  java: {
    ext: '.java',
    multiline: false,
    header: ['package com.example.orders;', '', 'public final class Settings {'],
    footer: ['}'],
    line: (it) => `    private static final String ${styled(it, upper)} = ${it.code ? it.value : dq(it.value)};`,
  },
  xml: {
    ext: '.config',
    multiline: false,
    header: ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>', '  <appSettings>'],
    footer: ['  </appSettings>', '</configuration>'],
    line: (it) => `    <add key="${styled(it, pascal)}" value="${xmlEscape(it.value)}" />`,
  },
  dockerfile: { ext: '', name: 'Dockerfile', multiline: false, header: ['FROM node:20-alpine', 'WORKDIR /app'], footer: ['CMD ["node", "server.js"]'], line: (it) => `ENV ${styled(it, upper)}=${maybeQuoted(it.value)}` },
  markdown: {
    ext: '.md',
    multiline: false,
    header: ['# Setup', '', 'Export these before running the service:', '', '```bash'],
    footer: ['```'],
    line: (it) => `export ${styled(it, upper)}=${dq(it.value)}`,
  },
  log: {
    ext: '.log',
    multiline: false,
    line: (it, rng, i) => {
      const prefix = `${stamp(rng, i)} \x1b[36m[deploy]\x1b[0m `;
      return rng.chance(0.3) ? `${prefix}\x1b[33m${styled(it, upper)}=${it.value}\x1b[0m` : `${prefix}exporting ${styled(it, upper)}=${it.value}`;
    },
  },
};

/** Which formats an item may be written in. */
export function formatsFor(item) {
  const allowed = item.formats ?? Object.keys(FORMATS).filter((f) => !(item.raw && f !== 'log' && f !== 'markdown'));
  return allowed.filter((f) => FORMATS[f] && (!item.multiline || FORMATS[f].multiline) && !(item.code && !item.formats));
}

/** Renders `items` as one file of `format`: { text, spans: [{ item, line, endLine }] }. */
export function renderFile(format, items, rng) {
  const spec = FORMATS[format];
  const lines = [...(spec.header ?? [])];
  const spans = [];
  items.forEach((item, i) => {
    const written = item.raw ?? spec.line(item, rng, i);
    const block = Array.isArray(written) ? written : [written];
    // A filler line between items, as real files have.
    if (i > 0 && rng.chance(0.3)) lines.push(format === 'json' ? `  "note_${i}": "see runbook",` : format === 'log' ? `${stamp(rng, i)} step ${i} done` : '');
    spans.push({ item, line: lines.length + 1, endLine: lines.length + block.length });
    lines.push(...block);
  });
  lines.push(...(spec.footer ?? []));
  return { text: lines.join('\n') + '\n', spans };
}
