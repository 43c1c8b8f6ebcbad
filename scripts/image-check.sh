#!/usr/bin/env bash
# Builds and runs the Docker image's steps without a Docker engine (see scripts/image-check/):
# the Dockerfile's COPY and npm steps in temp folders, then the built bot against the fakes.
# Needs Node 24 on PATH and the checkout's own dev dependencies (the fakes run from here).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/image-check/image-check.ts "$@"
