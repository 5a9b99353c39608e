#!/usr/bin/env bash
# Starts the web server and the background worker together; Ctrl-C stops both.
set -u
host=${1:-127.0.0.1}
port=${2:-8000}
py=${IMMERSIO_PYTHON:-.venv/bin/python}
# Links in e-mails point to this server unless the address is set explicitly.
case $host in 0.0.0.0 | "::" | "[::]") link_host=127.0.0.1 ;; *) link_host=$host ;; esac
export IMMERSIO_SITE_URL="${IMMERSIO_SITE_URL:-http://$link_host:$port}"
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Arrêt du serveur et du worker…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT
$py manage.py db_worker --queue-name '*' --interval 1 --no-reload &
pids+=($!)
$py manage.py runserver "$host:$port" &
pids+=($!)
echo "Immersio : http://$host:$port — le worker envoie les e-mails (affichés ici, liens vers $IMMERSIO_SITE_URL). Ctrl-C pour arrêter."
# Once the worker has printed the e-mails the demo data produced, say how to start.
$py manage.py demo_welcome --wait-server --wait-outbox 120 &
# Whichever of the server and the worker stops first brings the other down (not the
# welcome message above, which ends on its own).
wait -n "${pids[@]}"
stop
