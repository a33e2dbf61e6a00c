#!/usr/bin/env bash
# Point an EXISTING MinIO at botsync: configure the webhook target `notify_webhook:botsync`, restart MinIO so
# it takes effect, and subscribe every `*.gbai` bucket (or one bucket with --bucket) to put/delete events.
# With S3_NOTIFY=minio botsync subscribes the buckets itself: then only the target is needed (--target-only).
#
# Needs the MinIO client with an alias that has admin rights: `mc`, or `mcli` (its name in Debian, where
# `mc` is Midnight Commander), or whatever MC names. --dry-run needs neither the client nor the server.
# Safe to re-run: buckets that already have the ARN are skipped.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: setup-minio.sh [options] [ALIAS]

Configure MinIO's webhook target for botsync and subscribe bot buckets (*.gbai) to its events.

Options (each also settable through the environment variable in brackets):
  --alias NAME          mc alias of the MinIO server                              [ALIAS]
  --endpoint URL        botsync webhook URL, e.g. https://botsync.example.com/webhooks/minio
                                                                                  [BOTSYNC_ENDPOINT]
  --queue-dir DIR       absolute directory on the MinIO host(s) for undelivered events
                        (default /opt/gbo/data/minio-events)                      [QUEUE_DIR]
  --queue-limit N       max queued events per node (default: MinIO's 100000)      [QUEUE_LIMIT]
  --region REGION       MinIO site region if one is configured (goes in the ARN)  [SITE_REGION]
  --bucket NAME         only subscribe this bucket (for a new bot); implies --events-only
  --events-only         skip the target configuration and restart, only add bucket events
  --target-only         only configure the target and restart; botsync subscribes the buckets itself
                        when it runs with S3_NOTIFY=minio
  --dry-run             print the plan: the commands that would change something, without running
                        them and without contacting the server
  -h, --help            show this help

The MinIO client is taken from MC (default: mc, or mcli when mc is missing or is Midnight Commander).

The token is read from WEBHOOK_TOKEN only (never from the command line) and is never printed.
Note: mc itself receives it as an argument (that is how `mc admin config set` works), so run this on a
host where other users cannot read the process list.

Examples:
  ALIAS=gbo BOTSYNC_ENDPOINT=https://botsync.example.com/webhooks/minio WEBHOOK_TOKEN=... ./setup-minio.sh
  WEBHOOK_TOKEN=... ./setup-minio.sh --dry-run --endpoint https://botsync.example.com/webhooks/minio gbo
  ./setup-minio.sh --bucket newbot.gbai gbo
  MC=/opt/minio/bin/mc ./setup-minio.sh --target-only gbo
USAGE
}

die() { echo "setup-minio: $*" >&2; exit 1; }
log() { echo "setup-minio: $*" >&2; }

TARGET_ID="botsync"
ALIAS="${ALIAS:-}"
BOTSYNC_ENDPOINT="${BOTSYNC_ENDPOINT:-}"
WEBHOOK_TOKEN="${WEBHOOK_TOKEN:-}"
QUEUE_DIR="${QUEUE_DIR:-/opt/gbo/data/minio-events}"
QUEUE_LIMIT="${QUEUE_LIMIT:-}"
SITE_REGION="${SITE_REGION:-}"
ONLY_BUCKET=""
EVENTS_ONLY=0
TARGET_ONLY=0
DRY_RUN=0

need_value() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --alias) need_value "$@"; ALIAS="$2"; shift 2 ;;
    --endpoint) need_value "$@"; BOTSYNC_ENDPOINT="$2"; shift 2 ;;
    --queue-dir) need_value "$@"; QUEUE_DIR="$2"; shift 2 ;;
    --queue-limit) need_value "$@"; QUEUE_LIMIT="$2"; shift 2 ;;
    --region) need_value "$@"; SITE_REGION="$2"; shift 2 ;;
    --bucket) need_value "$@"; ONLY_BUCKET="$2"; EVENTS_ONLY=1; shift 2 ;;
    --events-only) EVENTS_ONLY=1; shift ;;
    --target-only) TARGET_ONLY=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --token|--token=*) die "pass the token in WEBHOOK_TOKEN, not on the command line" ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *)
      [[ -z "$ALIAS" || "$ALIAS" == "$1" ]] || die "alias given twice: '$ALIAS' and '$1'"
      ALIAS="$1"; shift ;;
  esac
done

[[ -n "$ALIAS" ]] || { usage >&2; die "missing ALIAS"; }
[[ "$ALIAS" =~ ^[A-Za-z0-9_.-]+$ ]] || die "ALIAS '$ALIAS' is not a valid mc alias"
[[ $EVENTS_ONLY -eq 1 && $TARGET_ONLY -eq 1 ]] && die "--target-only and --events-only/--bucket exclude each other"

# The MinIO client prints "mc version RELEASE.…" (…MinIO, Inc.); Midnight Commander prints
# "GNU Midnight Commander …". Only asked for --version, which both answer without side effects.
is_minio_client() { "$1" --version 2>/dev/null | grep -qE 'RELEASE\.|MinIO'; }

# Sets MC_BIN. A dry run only prints commands, so it never needs the client to exist.
resolve_client() {
  if [[ -n "${MC:-}" ]]; then
    MC_BIN="$MC"
    [[ $DRY_RUN -eq 1 ]] && return 0
    command -v "$MC_BIN" >/dev/null 2>&1 || die "MC=$MC_BIN: no such command"
    is_minio_client "$MC_BIN" || die "MC=$MC_BIN does not answer --version like the MinIO client"
    return 0
  fi
  if command -v mc >/dev/null 2>&1 && is_minio_client mc; then MC_BIN=mc; return 0; fi
  if command -v mcli >/dev/null 2>&1; then MC_BIN=mcli; return 0; fi
  if [[ $DRY_RUN -eq 1 ]]; then
    MC_BIN=mc
    log "note: the MinIO client is not installed here (no MinIO 'mc', no 'mcli'); the plan calls it mc"
    return 0
  fi
  if command -v mc >/dev/null 2>&1; then
    die "'mc' here is not the MinIO client (Midnight Commander?) and 'mcli' is not installed; install the MinIO client or set MC=/path/to/it"
  fi
  die "the MinIO client is not installed (neither mc nor mcli on PATH); install it or set MC=/path/to/it"
}
MC_BIN=""
resolve_client

ARN="arn:minio:sqs:${SITE_REGION}:${TARGET_ID}:webhook"

if [[ $EVENTS_ONLY -eq 0 ]]; then
  [[ -n "$BOTSYNC_ENDPOINT" ]] || { usage >&2; die "missing BOTSYNC_ENDPOINT / --endpoint"; }
  [[ "$BOTSYNC_ENDPOINT" =~ ^https?://[^[:space:]\"\']+$ ]] \
    || die "BOTSYNC_ENDPOINT must be an http:// or https:// URL without spaces or quotes"
  # Use the final URL: MinIO follows redirects, and a 301/302 turns the POST into a body-less GET
  # (docs/notifications.md, "Delivery and retries").
  [[ -n "$WEBHOOK_TOKEN" ]] || die "missing WEBHOOK_TOKEN (MinIO sends it as 'Authorization: Bearer <token>')"
  # One word only: MinIO sends 'Bearer <token>' for one word, the raw value for two, and nothing for more
  # (docs/notifications.md, "Authorization").
  [[ "$WEBHOOK_TOKEN" =~ ^[^[:space:]\"\'=]+$ ]] || die "WEBHOOK_TOKEN must be one word without spaces, quotes or '='"
  [[ "$QUEUE_DIR" == /* ]] || die "QUEUE_DIR must be an absolute path (MinIO requires it)"
  [[ "$QUEUE_DIR" =~ ^[^[:space:]\"\']+$ ]] || die "QUEUE_DIR must not contain spaces or quotes"
  if [[ -n "$QUEUE_LIMIT" ]]; then
    [[ "$QUEUE_LIMIT" =~ ^[0-9]+$ ]] || die "QUEUE_LIMIT must be a non-negative integer"
  fi
fi
if [[ -n "$ONLY_BUCKET" ]]; then
  [[ "$ONLY_BUCKET" =~ ^[a-z0-9][a-z0-9-]{0,57}\.gbai$ ]] || die "--bucket '$ONLY_BUCKET' is not a bot bucket ({bot}.gbai)"
fi

# Prints a command with the token masked; never prints the token itself.
show() {
  local out="" arg
  for arg in "$@"; do
    if [[ -n "$WEBHOOK_TOKEN" && "$arg" == *"$WEBHOOK_TOKEN"* ]]; then
      arg="${arg//"$WEBHOOK_TOKEN"/****}"
    fi
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@%+*-]+$ ]]; then
      out+="$arg "
    else
      out+="'$arg' "  # arguments are validated to contain no single quotes
    fi
  done
  echo "${out% }"
}

# Runs a command that changes something (or only prints it with --dry-run).
run() {
  if [[ $DRY_RUN -eq 1 ]]; then
    echo "[dry-run] $(show "$@")"
  else
    log "running: $(show "$@")"
    "$@"
  fi
}

configure_target() {
  # queue_dir matters: without it MinIO POSTs each event once from memory, and any failure (botsync down,
  # restarting, a 5xx) DROPS the event for good — nothing is retried (docs/notifications.md, "Delivery and
  # retries"). With queue_dir every event is first
  # written to disk and retried every 3 s until botsync answers 2xx, surviving MinIO restarts too.
  # The directory is per MinIO node (each node keeps and replays its own queue).
  # queue_limit bounds that queue per node (0/unset = 100000); when full, NEW events are dropped.
  local kv=("enable=on" "endpoint=${BOTSYNC_ENDPOINT}" "auth_token=${WEBHOOK_TOKEN}" "queue_dir=${QUEUE_DIR}")
  if [[ -n "$QUEUE_LIMIT" ]]; then kv+=("queue_limit=${QUEUE_LIMIT}"); fi
  # MinIO checks the endpoint is reachable (TCP dial) when this is set: botsync must already be running.
  run "$MC_BIN" admin config set "$ALIAS" "notify_webhook:${TARGET_ID}" "${kv[@]}"
  # notify_* settings are not dynamic: they only take effect after a restart.
  run "$MC_BIN" admin service restart "$ALIAS"
}

wait_for_server() {
  [[ $DRY_RUN -eq 1 ]] && { echo "[dry-run] (wait until '$MC_BIN admin info $ALIAS' succeeds)"; return 0; }
  local i
  for ((i = 1; i <= 60; i++)); do
    if "$MC_BIN" admin info "$ALIAS" >/dev/null 2>&1; then
      log "MinIO is back up"
      return 0
    fi
    sleep 2
  done
  die "MinIO did not come back within 120 s after the restart"
}

# Bucket names from `mc ls --json ALIAS` (one JSON object per line: {"status":"success","type":"folder",...,
# "key":"demo.gbai/",...}). jq when available, otherwise grep/sed (bucket names never contain quotes).
list_bot_buckets() {
  local listing
  listing="$("$MC_BIN" ls --json "$ALIAS")" || die "$MC_BIN ls $ALIAS failed"
  if command -v jq >/dev/null 2>&1; then
    printf '%s\n' "$listing" | jq -r 'select(.status == "success" and .type == "folder") | .key'
  else
    printf '%s\n' "$listing" | grep '"type":"folder"' | grep -o '"key":"[^"]*"' | sed -e 's/^"key":"//' -e 's/"$//'
  fi | sed -e 's#/$##' | grep -E '^[a-z0-9][a-z0-9-]{0,57}\.gbai$' || true
}

subscribe_bucket() {
  local bucket="$1" current
  if [[ $DRY_RUN -eq 1 ]]; then
    echo "[dry-run] $(show "$MC_BIN" event add "$ALIAS/$bucket" "$ARN" --event put,delete) (skipped if $bucket already has $ARN)"
    return 0
  fi
  # `mc event ls` fails when the bucket has no notification config at all: treat that as "none yet".
  current="$("$MC_BIN" event ls "$ALIAS/$bucket" "$ARN" 2>/dev/null || true)"
  if grep -qF -- "$ARN" <<<"$current"; then
    if ! grep -q 'ObjectCreated' <<<"$current" || ! grep -q 'ObjectRemoved' <<<"$current"; then
      log "WARNING: $bucket already has $ARN but not for both put and delete; fix with '$MC_BIN event rm' then re-run"
    else
      log "$bucket: already subscribed, skipping"
    fi
    return 0
  fi
  run "$MC_BIN" event add "$ALIAS/$bucket" "$ARN" --event put,delete
}

if [[ $EVENTS_ONLY -eq 0 ]]; then
  configure_target
  wait_for_server
fi

if [[ $TARGET_ONLY -eq 1 ]]; then
  log "target configured; botsync (S3_NOTIFY=minio, S3_NOTIFY_ARN=$ARN) subscribes the buckets itself"
  exit 0
fi

if [[ -n "$ONLY_BUCKET" ]]; then
  buckets=("$ONLY_BUCKET")
elif [[ $DRY_RUN -eq 1 ]]; then
  # Listing the buckets would contact the server: the plan names the step instead.
  echo "[dry-run] (list the *.gbai buckets with '$MC_BIN ls --json $ALIAS')"
  echo "[dry-run] $(show "$MC_BIN" event add "$ALIAS/BUCKET" "$ARN" --event put,delete) for each BUCKET that does not have $ARN yet"
  exit 0
else
  bucket_lines="$(list_bot_buckets)"
  buckets=()
  if [[ -n "$bucket_lines" ]]; then mapfile -t buckets <<<"$bucket_lines"; fi
fi

if [[ ${#buckets[@]} -eq 0 ]]; then
  log "no *.gbai buckets found on $ALIAS; add new ones later with --bucket NAME"
  exit 0
fi

for bucket in "${buckets[@]}"; do
  subscribe_bucket "$bucket"
done
log "done: ${#buckets[@]} bucket(s) checked for $ARN"
