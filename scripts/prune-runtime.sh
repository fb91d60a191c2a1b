#!/bin/sh
# Trims production node_modules for the container image (Dockerfile build stage): files a running hub never
# reads. Source maps and type declarations are for editors and debuggers; matter.js ships CommonJS and ESM
# builds and its TypeScript sources, and the hub only ever imports ESM; better-sqlite3 keeps its compiled
# module and drops the SQLite sources and object files it was built from.
set -eu
cd "${1:-node_modules}"
find . -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.tsbuildinfo' \) -delete
find . -type f \( -iname 'README*' -o -iname 'CHANGELOG*' -o -iname 'HISTORY*' \) -name '*.md' -delete
for pkg in @matter/*; do
  rm -rf "$pkg/src" "$pkg/dist/cjs"
done
rm -rf better-sqlite3/deps better-sqlite3/src better-sqlite3/build/Release/obj \
       better-sqlite3/build/Release/obj.target better-sqlite3/build/Release/.deps better-sqlite3/build/deps \
       better-sqlite3/build/Release/test_extension.node
# Tests, docs, examples and benchmarks at package roots only (a dist/test folder may be code).
for pkg in */ @*/*/; do
  case "$pkg" in @*/*/) ;; @*) continue ;; esac
  for d in test tests docs example examples benchmark benchmarks; do rm -rf "$pkg$d"; done
done
find . -type d -empty -delete
