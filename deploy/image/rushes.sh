#!/bin/sh
# The image's entrypoint: one image, one command per process kind (deploy/README.md).
set -eu
cd /app
case "${1:-help}" in
  # V8 flags: scripts/node-flags.ts (API_NODE_FLAGS), checked by a test.
  api) shift; exec node --max-semi-space-size=16 apps/api/dist/main.js "$@" ;;
  web) shift; exec node apps/web/dist/server.js "$@" ;;
  # The worker checks ffmpeg, ffprobe and exiftool at start and exits naming a missing one.
  worker) shift; exec node apps/worker/dist/main.js "$@" ;;
  # One-shot: applies drizzle/ to DATABASE_URL under an advisory lock; exits non-zero on failure.
  migrate) shift; exec node scripts/migrate.ts "$@" ;;
  # The media tools the worker would use, with their versions; exits 1 naming a missing one.
  check-tools) shift; exec node deploy/image/check-tools.js "$@" ;;
  version | --version)
    printf 'rushes %s, node %s\n' \
      "$(node -p 'require("./package.json").version')" "$(node --version)"
    ;;
  help | --help | -h)
    echo 'usage: rushes-image api|web|worker|migrate|check-tools|version [args]'
    ;;
  *)
    echo "rushes-image: unknown command \"$1\" (api, web, worker, migrate, check-tools, version)" >&2
    exit 2
    ;;
esac
