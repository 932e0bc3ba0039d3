#!/usr/bin/env bash
# The test command of README.md: installs the Debian packages the tests need, then runs the whole
# Maven build with every test. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
exec mvn -B verify "$@"
