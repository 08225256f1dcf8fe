#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `postgres.sh start DIR` initdb's a cluster in DIR,
# listening on 127.0.0.1 only, and writes its connection URI to DIR/url; `postgres.sh stop DIR`
# stops it and removes the cluster. Where PostgreSQL is not installed, start writes the reason to
# DIR/unavailable and exits 0: the tests that need it skip with that sentence (fail, under CI).
set -euo pipefail

readonly kUser=switchyard
readonly kMaxConnections=200  # three hosts' pools plus every test process of a ctest -j3 run
readonly kStartAttempts=5     # a port picked free may be taken before the server binds it

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}

# The folder of initdb and pg_ctl: PATH first, else the newest Debian version.
find_bin_dir() {
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v pg_ctl)"
        return
    fi
    local candidate
    for candidate in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
            echo "$candidate"
            return
        fi
    done
}

# Runs a PostgreSQL program as the cluster's owner: PostgreSQL refuses to run as root.
as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

unavailable() {
    echo "$1" >"$dir/unavailable"
    echo "postgres.sh: $1" >&2
    exit 0
}

random_port() { echo $((20000 + RANDOM % 40000)); }

port_in_use() { ss -Htln "sport = :$1" | grep -q .; }

# The cluster's folder (data, socket, logs): DIR itself or, where the user "postgres" cannot write
# there (a build tree under /root), a folder of its own in /tmp that DIR/cluster names.
cluster_dir() {
    if [[ -f $dir/cluster ]]; then cat "$dir/cluster"; else echo "$dir"; fi
}

start() {
    local bin_dir
    bin_dir=$(find_bin_dir)
    [[ -n $bin_dir ]] || unavailable "PostgreSQL's initdb and pg_ctl were found neither on PATH nor in /usr/lib/postgresql/*/bin (Debian package: postgresql)."
    if [[ $(id -u) == 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        unavailable "running as root needs the system user \"postgres\" (created by Debian's postgresql package) to own the cluster, and there is none."
    fi
    local cluster=$dir
    if [[ $(id -u) == 0 ]]; then
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            cluster=$(mktemp -d /tmp/switchyard-postgres.XXXXXX)
            chown postgres: "$cluster"
            echo "$cluster" >"$dir/cluster"
        fi
    fi

    local password
    password=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
    (umask 077 && echo "$password" >"$cluster/password")
    [[ $(id -u) == 0 ]] && chown postgres: "$cluster/password"
    as_owner "$bin_dir/initdb" --pgdata="$cluster/data" --username="$kUser" --pwfile="$cluster/password" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$cluster/initdb.log" 2>&1 || {
        cat "$cluster/initdb.log" >&2
        exit 1
    }
    rm -f "$cluster/password"
    # fsync stays on: the tests and benchmarks measure durable commits.
    cat >>"$cluster/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster'
max_connections = $kMaxConnections
fsync = on
synchronous_commit = on
password_encryption = 'scram-sha-256'
EOF

    local attempt port
    for ((attempt = 1; attempt <= kStartAttempts; ++attempt)); do
        port=$(random_port)
        port_in_use "$port" && continue
        if as_owner "$bin_dir/pg_ctl" --pgdata="$cluster/data" --log="$cluster/server.log" --wait --timeout=60 \
            --options="-p $port" start >/dev/null; then
            (umask 077 && echo "postgresql://$kUser:$password@127.0.0.1:$port/postgres" >"$dir/url")
            echo "postgres.sh: PostgreSQL ($("$bin_dir/pg_ctl" --version)) listens on 127.0.0.1:$port, cluster in $cluster/data."
            return
        fi
    done
    echo "postgres.sh: the server did not start in $kStartAttempts attempts; its log:" >&2
    cat "$cluster/server.log" >&2 || true
    exit 1
}

stop() {
    rm -f "$dir/url"
    local cluster bin_dir
    cluster=$(cluster_dir)
    bin_dir=$(find_bin_dir)
    if [[ -n $bin_dir && -f $cluster/data/postmaster.pid ]]; then
        as_owner "$bin_dir/pg_ctl" --pgdata="$cluster/data" --mode=fast --wait stop >/dev/null 2>&1 || true
    fi
    rm -rf "$cluster/data"
    if [[ $cluster == /tmp/switchyard-postgres.* ]]; then rm -rf "$cluster"; fi
    rm -f "$dir/cluster"
}

[[ $# == 2 ]] || usage
dir=$(realpath -m "$2")
readonly dir
case $1 in
    start)
        mkdir -p "$dir"
        chmod 0700 "$dir"
        stop  # what a run that was killed left behind
        rm -f "$dir/unavailable" "$dir/server.log" "$dir/initdb.log"
        start
        ;;
    stop) stop ;;
    *) usage ;;
esac
