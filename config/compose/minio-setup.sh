#!/bin/sh
# Run once by the minio-setup service of docker-compose.yml: the bucket, versioned, a policy
# that reaches that bucket only (minio-intake-policy.json), and the application's own user
# with that policy.  The root keys are used here and nowhere else; api, watcher, worker and
# migrate sign in as MINIO_APP_USER.  Safe to repeat: each step leaves what is there as it
# is, and a changed MINIO_APP_PASSWORD is set anew.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
: "${MINIO_APP_USER:?}" "${MINIO_APP_PASSWORD:?}"
if [ "$MINIO_APP_USER" = "$MINIO_ROOT_USER" ]; then
    echo "MINIO_APP_USER must not be MINIO_ROOT_USER" >&2
    exit 1
fi

# mc keeps its configuration on the tmpfs /tmp (the root file system is read-only); the
# root keys reach it through the environment, not on a command line.
export MC_CONFIG_DIR=/tmp/.mc MC_NO_COLOR=true MC_QUIET=true
export MC_HOST_root="https://${MINIO_ROOT_USER}:${MINIO_ROOT_PASSWORD}@minio:9000"

mc mb --ignore-existing root/intake
# Versioning: the app may put (it has no delete, of any version), so an object written over
# keeps every earlier version; no archived original is lost to a write.  Enabling it again
# is no change.  (An object lock cannot be switched on for a bucket MinIO has already made:
# README, "Production".)
mc version enable root/intake
mc anonymous set none root/intake
mc admin policy create root intake-app /setup/minio-intake-policy.json
mc admin user add root "$MINIO_APP_USER" "$MINIO_APP_PASSWORD"
# Attach the policy unless the user has it already (a second attach is an error to MinIO).
case "$(MC_JSON=true mc admin user info root "$MINIO_APP_USER")" in
    *'"policyName": "intake-app"'* | *'"policyName":"intake-app"'*) ;;
    *)
        if ! out="$(mc admin policy attach root intake-app --user "$MINIO_APP_USER" 2>&1)"; then
            case "$out" in
                *"already in effect"*) ;;
                *) echo "$out" >&2; exit 1 ;;
            esac
        fi
        ;;
esac
echo "bucket intake (versioned), policy intake-app and user $MINIO_APP_USER ready"
