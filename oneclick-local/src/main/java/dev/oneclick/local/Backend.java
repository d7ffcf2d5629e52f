package dev.oneclick.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which servers {@link LocalAws} runs. */
public enum Backend {

    /** LocalStack when a Docker engine answers, else {@link #EMULATORS}. */
    AUTO,
    /** dynalite (node child process) for DynamoDB and s3proxy (in this JVM) for S3. */
    EMULATORS,
    /** LocalStack in a Docker container, through Testcontainers. */
    LOCALSTACK;

    /** The lower-case name used in settings and logs ({@code auto}, {@code emulators}, {@code localstack}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a setting value, ignoring case and surrounding blanks.
     *
     * @throws LocalAwsException naming the valid values when {@code value} is none of them
     */
    public static Backend parse(String value) {
        for (Backend backend : values()) {
            if (backend.id().equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw new LocalAwsException("unknown local AWS backend '" + value + "' (from " + LocalAws.BACKEND_PROPERTY
                + " / " + LocalAws.BACKEND_ENV + "): use one of "
                + Arrays.stream(values()).map(Backend::id).collect(Collectors.joining(", ")));
    }
}
