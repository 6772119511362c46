#!/bin/sh
# Install requirements.lock into a fresh virtual environment, checking the sha256 of every distribution.
#   scripts/install_locked.sh VENV LOCK [pip options...]
# pip checks a hash only for what it installs, and skips what is installed already at the same
# version (pip itself, say, or everything after a change of the lock): so the environment is cleared
# and every distribution (re)installed from the lock.
set -eu
venv=$1
lock=$2
shift 2
"${PYTHON:-python3}" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
  --force-reinstall "$@" -r "$lock"
