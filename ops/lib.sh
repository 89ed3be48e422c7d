# Shared by ops/backup.sh and ops/restore.sh (sourced, not run). Expects $root (the checkout).

setting() {  # NAME [DEFAULT]: from the environment, else from .env, else DEFAULT
  local name=$1 value=${!1:-}
  if [ -z "$value" ] && [ -f "$root/.env" ]; then
    value="$(sed -n "s/^[[:space:]]*$name[[:space:]]*=[[:space:]]*//p" "$root/.env" | tail -n 1)"
    value="${value%\"}"; value="${value#\"}"; value="${value%\'}"; value="${value#\'}"
  fi
  printf '%s' "${value:-${2:-}}"
}
