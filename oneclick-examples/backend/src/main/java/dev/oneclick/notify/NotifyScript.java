package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Renders notify.sh. */
public final class NotifyScript {
    private final ProjectGuid guid;
    private final String serverUrl;
    private final String secret;

    private NotifyScript(ProjectGuid guid, String serverUrl, String secret) {
        this.guid = guid;
        this.serverUrl = serverUrl;
        this.secret = secret;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path writeTo(Path dir) {
        Path target = dir.resolve("notify.sh");
        try {
            Files.writeString(target, render());
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public static final class Builder {
        private ProjectGuid guid;
        private String serverUrl;
        private String secret;

        public Builder guid(ProjectGuid v) {
            guid = v;
            return this;
        }

        public Builder serverUrl(String v) {
            serverUrl = v;
            return this;
        }

        public Builder secret(String v) {
            secret = v;
            return this;
        }

        public NotifyScript build() {
            return new NotifyScript(guid, serverUrl, secret);
        }
    }

    public String render() {
        return """
                #!/usr/bin/env bash
                # notify.sh (stand-in): reports progress and AWS resources of this project, signed.
                set -u
                GUID='@GUID@'
                SERVER='@SERVER@'
                SECRET='@SECRET@'
                usage() { echo "Usage: $0 {ack|status|error|done|summary|deployed} \\"message\\" | $0 resources '<json>'" >&2; exit 2; }
                [ $# -eq 2 ] || usage
                esc() {
                  local LC_ALL=C s=$1 out= c i code
                  for (( i=0; i<${#s}; i++ )); do
                    c=${s:i:1}
                    case $c in
                      '"') out+='\\"' ;;
                      '\\') out+='\\\\' ;;
                      *) printf -v code '%d' "'$c"
                         if (( code >= 0 && code < 32 )); then printf -v c '\\\\u%04x' "$code"; fi
                         out+=$c ;;
                    esac
                  done
                  printf '%s' "$out"
                }
                ID=$(openssl rand -hex 16)
                case "$1" in
                  ack|status|error|done|summary|deployed) BODY="{\\"id\\":\\"$ID\\",\\"guid\\":\\"$GUID\\",\\"type\\":\\"$1\\",\\"message\\":\\"$(esc "$2")\\"}" ;;
                  resources) BODY="{\\"id\\":\\"$ID\\",\\"guid\\":\\"$GUID\\",\\"type\\":\\"resources\\",\\"data\\":$2}" ;;
                  *) usage ;;
                esac
                delay=1
                for attempt in 1 2 3 4 5 6; do
                  TS=$(date +%s)
                  SIG=$(printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
                  code=$(printf '%s' "$BODY" | curl -sS -o /dev/null -w '%{http_code}' --max-time 15 -X POST \\
                    -H 'Content-Type: application/json' -H "X-Oneclick-Timestamp: $TS" -H "X-Oneclick-Signature: sha256=$SIG" \\
                    --data-binary @- "$SERVER/notify")
                  case $code in
                    2??) exit 0 ;;
                    5??|000) echo "notify.sh: server answered $code, retrying in ${delay}s" >&2; sleep $delay; delay=$((delay*2)) ;;
                    *) echo "notify.sh: server refused the event ($code)" >&2; exit 1 ;;
                  esac
                done
                echo "notify.sh: giving up" >&2
                exit 1
                """.replace("@GUID@", guid.value()).replace("@SERVER@", serverUrl).replace("@SECRET@", secret);
    }
}
