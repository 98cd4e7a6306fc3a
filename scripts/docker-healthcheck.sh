#!/bin/bash
# docker-healthcheck.sh - the image's HEALTHCHECK: GET /healthz from the
# listener that `valuesbot run` opens on $VALUESBOT_HTTP (host:port, default
# 127.0.0.1:8080).  Exit 0 on HTTP 200, 1 otherwise (Docker's contract).
# Uses bash's /dev/tcp, so the runtime image needs no curl.  Prints the
# status line, which `docker inspect` shows in the health log.
set -u

addr=${VALUESBOT_HTTP:-127.0.0.1:8080}
host=${addr%:*}
port=${addr##*:}
host=${host#[}
host=${host%]}
# A wildcard listen address is reached on loopback.
case $host in
'' | 0.0.0.0 | '*') host=127.0.0.1 ;;
::) host=::1 ;;
esac
[[ $port =~ ^[0-9]+$ ]] || { echo "healthcheck: bad VALUESBOT_HTTP '$addr'"; exit 1; }

if ! exec 3<>"/dev/tcp/$host/$port"; then
    echo "healthcheck: nothing listening on $host:$port"
    exit 1
fi
printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$addr" >&3
if ! IFS= read -r -t 4 status <&3; then
    echo "healthcheck: no answer from $host:$port"
    exit 1
fi
status=${status%$'\r'}
echo "healthcheck: $status"
[[ $status =~ ^HTTP/1\.[01]\ 200( |$) ]]
