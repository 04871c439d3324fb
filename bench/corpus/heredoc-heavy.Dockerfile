FROM debian:bookworm
RUN <<EOF bash
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends curl jq
rm -rf /var/lib/apt/lists/*
EOF
COPY <<-'CONF' /etc/app/app.conf
	listen = 0.0.0.0:8080
	workers = 4
	CONF
RUN python3 - <<'PY'
import sys
print(sys.version)
PY
RUN <<A <<B cat - /dev/fd/3
first
A
second
B
