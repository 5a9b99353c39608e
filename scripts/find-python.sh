#!/usr/bin/env bash
# Prints the path of a working Python 3.13 or 3.12 (a pyenv shim that is not
# activated does not count), or explains in French what is missing.
set -u
candidates=(python3.13 python3.12)
for name in "${candidates[@]}"; do
  if command -v "$name" >/dev/null 2>&1 && "$name" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
    command -v "$name"; exit 0
  fi
done
# pyenv installs the versions without putting them on PATH.
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13* "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*; do
  for name in python3.13 python3.12; do
    if [ -x "$dir/bin/$name" ] && "$dir/bin/$name" -c 'import venv' >/dev/null 2>&1; then
      echo "$dir/bin/$name"; exit 0
    fi
  done
done
echo "Immersio a besoin de Python 3.13 (ou 3.12) : installez « python3.13 » puis relancez la commande." >&2
exit 1
