package dev.oneclick.resources;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of a project's AWS resources, with the plan's camelCase keys ({@code s3Bucket},
 * {@code cloudFrontId}, {@code cloudFrontUrl}, {@code region}, {@code ecsCluster}, {@code rdsEndpoint}) and
 * the ones oneclick adds ({@code siteUrl}, {@code ecrRepositories}, ...). Keys it does not know are kept as they
 * are, so a record written by a newer version or another tool survives a round trip.
 *
 * <p>Values are JSON values: strings, numbers, booleans, lists and maps. Numbers are kept in one canonical form
 * so that equal values compare equal whichever way they were read (JSON text, a DynamoDB number, Java code):
 * integers as {@link Long} (or {@link BigInteger} beyond its range), other numbers as a {@link BigDecimal}
 * without trailing zeros. Instances are immutable and thread-safe.
 */
public final class AwsResources {
    public static final String S3_BUCKET = "s3Bucket";
    public static final String CLOUD_FRONT_ID = "cloudFrontId";
    public static final String CLOUD_FRONT_URL = "cloudFrontUrl";
    public static final String REGION = "region";
    public static final String ECS_CLUSTER = "ecsCluster";
    public static final String RDS_ENDPOINT = "rdsEndpoint";
    public static final String SITE_URL = "siteUrl";
    public static final String ECR_REPOSITORIES = "ecrRepositories";
    public static final String ECS_SERVICE = "ecsService";
    public static final String ALB_DNS_NAME = "albDnsName";
    public static final String CLOUD_FRONT_ARN = "cloudFrontArn";
    public static final String ORIGIN_ACCESS_CONTROL_ID = "originAccessControlId";
    // the full stack's keys
    public static final String IMAGE_URI = "imageUri";
    public static final String TASK_DEFINITION_ARN = "taskDefinitionArn";
    public static final String LOG_GROUP = "logGroup";
    public static final String EXECUTION_ROLE_ARN = "executionRoleArn";
    public static final String VPC_ID = "vpcId";
    public static final String SUBNET_IDS = "subnetIds";
    public static final String SECURITY_GROUP_IDS = "securityGroupIds";
    public static final String ALB_ARN = "albArn";
    public static final String TARGET_GROUP_ARN = "targetGroupArn";
    public static final String LISTENER_ARN = "listenerArn";
    public static final String ORIGIN_SECRET_SHA256 = "originSecretSha256";
    public static final String RDS_INSTANCE_ID = "rdsInstanceId";
    public static final String DB_SUBNET_GROUP = "dbSubnetGroup";
    public static final String DB_SECRET_ARN = "dbSecretArn";
    public static final String DB_FINAL_SNAPSHOT_ID = "dbFinalSnapshotId";
    public static final String API_URL = "apiUrl";

    /** Strict reader: duplicate keys refused (they would make a record ambiguous), decimals kept exactly. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final AwsResources EMPTY = new AwsResources(Map.of());

    private final Map<String, Object> values;

    private AwsResources(Map<String, Object> values) {
        this.values = values;
    }

    public static AwsResources empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    /**
     * Reads the JSON object form. Does not validate against the schema; see {@link ResourcesSchema}.
     *
     * @throws InvalidInputException (field {@code awsResources}) if the text is not a JSON object
     */
    public static AwsResources fromJson(String json) {
        try {
            Object parsed = JSON.readValue(json, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new InvalidInputException("awsResources", "The resources JSON must be an object, like "
                        + "{\"s3Bucket\": \"tmux-builder-<guid>\"}.");
            }
            return fromMap(map);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("awsResources", "The resources JSON does not parse: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Builds a record from plain Java values (as Jackson reads JSON: maps, lists, strings, numbers, booleans). */
    public static AwsResources fromMap(Map<?, ?> map) {
        Objects.requireNonNull(map, "map");
        Builder b = new Builder();
        map.forEach((k, v) -> b.put(String.valueOf(k), v));
        return b.build();
    }

    /** The JSON object form, keys in insertion order, no nulls. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("resources cannot be written as JSON", e);
        }
    }

    /** The JSON object form, indented for a person to read. */
    public String toPrettyJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("resources cannot be written as JSON", e);
        }
    }

    /** Every key and value, known and unknown, as an unmodifiable map of plain JSON values. */
    public Map<String, Object> asMap() {
        return values;
    }

    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Optional<String> getString(String key) {
        Object v = values.get(key);
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<String> s3Bucket() {
        return getString(S3_BUCKET);
    }

    public Optional<String> cloudFrontId() {
        return getString(CLOUD_FRONT_ID);
    }

    public Optional<String> cloudFrontUrl() {
        return getString(CLOUD_FRONT_URL);
    }

    public Optional<String> region() {
        return getString(REGION);
    }

    public Optional<String> ecsCluster() {
        return getString(ECS_CLUSTER);
    }

    public Optional<String> rdsEndpoint() {
        return getString(RDS_ENDPOINT);
    }

    public Optional<String> siteUrl() {
        return getString(SITE_URL);
    }

    public Optional<String> ecsService() {
        return getString(ECS_SERVICE);
    }

    public Optional<String> albDnsName() {
        return getString(ALB_DNS_NAME);
    }

    public Optional<String> cloudFrontArn() {
        return getString(CLOUD_FRONT_ARN);
    }

    public Optional<String> originAccessControlId() {
        return getString(ORIGIN_ACCESS_CONTROL_ID);
    }

    /** The ECR repository names, empty when there are none. */
    public List<String> ecrRepositories() {
        return stringList(ECR_REPOSITORIES);
    }

    private List<String> stringList(String key) {
        Object v = values.get(key);
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            list.forEach(o -> out.add(String.valueOf(o)));
            return Collections.unmodifiableList(out);
        }
        return List.of();
    }

    public Optional<String> imageUri() {
        return getString(IMAGE_URI);
    }

    public Optional<String> taskDefinitionArn() {
        return getString(TASK_DEFINITION_ARN);
    }

    public Optional<String> logGroup() {
        return getString(LOG_GROUP);
    }

    public Optional<String> executionRoleArn() {
        return getString(EXECUTION_ROLE_ARN);
    }

    public Optional<String> vpcId() {
        return getString(VPC_ID);
    }

    /** The subnetIds list, empty when there is none. */
    public List<String> subnetIds() {
        return stringList(SUBNET_IDS);
    }

    /** The securityGroupIds map (role to id), empty when there is none. */
    public Map<String, String> securityGroupIds() {
        Object v = values.get(SECURITY_GROUP_IDS);
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((a, b) -> out.put(String.valueOf(a), String.valueOf(b)));
        }
        return Collections.unmodifiableMap(out);
    }

    public Optional<String> albArn() {
        return getString(ALB_ARN);
    }

    public Optional<String> targetGroupArn() {
        return getString(TARGET_GROUP_ARN);
    }

    public Optional<String> listenerArn() {
        return getString(LISTENER_ARN);
    }

    public Optional<String> originSecretSha256() {
        return getString(ORIGIN_SECRET_SHA256);
    }

    public Optional<String> rdsInstanceId() {
        return getString(RDS_INSTANCE_ID);
    }

    public Optional<String> dbSubnetGroup() {
        return getString(DB_SUBNET_GROUP);
    }

    public Optional<String> dbSecretArn() {
        return getString(DB_SECRET_ARN);
    }

    public Optional<String> dbFinalSnapshotId() {
        return getString(DB_FINAL_SNAPSHOT_ID);
    }

    public Optional<String> apiUrl() {
        return getString(API_URL);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** A record with this one's values, overwritten by {@code other}'s where both have a key. */
    public AwsResources merge(AwsResources other) {
        Builder b = toBuilder();
        other.values.forEach(b::put);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AwsResources other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "AwsResources" + toJson();
    }

    /** Builds {@link AwsResources}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets any key; {@code null} removes it. Values must be JSON values: strings, numbers (finite), booleans,
         * lists and maps of them.
         *
         * @throws InvalidInputException (field {@code awsResources}) naming the path of a value that is not one
         */
        public Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, freeze(value, "$." + key));
            }
            return this;
        }

        public Builder s3Bucket(String v) {
            return put(S3_BUCKET, v);
        }

        public Builder cloudFrontId(String v) {
            return put(CLOUD_FRONT_ID, v);
        }

        public Builder cloudFrontUrl(String v) {
            return put(CLOUD_FRONT_URL, v);
        }

        public Builder region(String v) {
            return put(REGION, v);
        }

        public Builder ecsCluster(String v) {
            return put(ECS_CLUSTER, v);
        }

        public Builder rdsEndpoint(String v) {
            return put(RDS_ENDPOINT, v);
        }

        public Builder siteUrl(String v) {
            return put(SITE_URL, v);
        }

        public Builder ecrRepositories(List<String> v) {
            return put(ECR_REPOSITORIES, v);
        }

        public Builder ecsService(String v) {
            return put(ECS_SERVICE, v);
        }

        public Builder albDnsName(String v) {
            return put(ALB_DNS_NAME, v);
        }

        public Builder cloudFrontArn(String v) {
            return put(CLOUD_FRONT_ARN, v);
        }

        public Builder originAccessControlId(String v) {
            return put(ORIGIN_ACCESS_CONTROL_ID, v);
        }

        public Builder imageUri(String v) {
            return put(IMAGE_URI, v);
        }

        public Builder taskDefinitionArn(String v) {
            return put(TASK_DEFINITION_ARN, v);
        }

        public Builder logGroup(String v) {
            return put(LOG_GROUP, v);
        }

        public Builder executionRoleArn(String v) {
            return put(EXECUTION_ROLE_ARN, v);
        }

        public Builder vpcId(String v) {
            return put(VPC_ID, v);
        }

        public Builder subnetIds(List<String> v) {
            return put(SUBNET_IDS, v);
        }

        public Builder securityGroupIds(Map<String, String> v) {
            return put(SECURITY_GROUP_IDS, v);
        }

        public Builder albArn(String v) {
            return put(ALB_ARN, v);
        }

        public Builder targetGroupArn(String v) {
            return put(TARGET_GROUP_ARN, v);
        }

        public Builder listenerArn(String v) {
            return put(LISTENER_ARN, v);
        }

        public Builder originSecretSha256(String v) {
            return put(ORIGIN_SECRET_SHA256, v);
        }

        public Builder rdsInstanceId(String v) {
            return put(RDS_INSTANCE_ID, v);
        }

        public Builder dbSubnetGroup(String v) {
            return put(DB_SUBNET_GROUP, v);
        }

        public Builder dbSecretArn(String v) {
            return put(DB_SECRET_ARN, v);
        }

        public Builder dbFinalSnapshotId(String v) {
            return put(DB_FINAL_SNAPSHOT_ID, v);
        }

        public Builder apiUrl(String v) {
            return put(API_URL, v);
        }

        public AwsResources build() {
            return new AwsResources(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }

        private static Object freeze(Object value, String path) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> {
                    if (v != null) {
                        copy.put(String.valueOf(k), freeze(v, path + "." + k));
                    }
                });
                return Collections.unmodifiableMap(copy);
            }
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    Object v = list.get(i);
                    copy.add(v == null ? null : freeze(v, path + "[" + i + "]"));
                }
                return Collections.unmodifiableList(copy);
            }
            if (value instanceof Number n) {
                return normalise(n, path);
            }
            if (value instanceof String || value instanceof Boolean) {
                return value;
            }
            throw new InvalidInputException("awsResources", path + " is a " + value.getClass().getName()
                    + ", not a JSON value; give a string, number, boolean, list or map.");
        }

        private static Object normalise(Number n, String path) {
            if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
                return n.longValue();
            }
            BigDecimal d;
            if (n instanceof BigInteger bi) {
                return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
            } else if (n instanceof BigDecimal bd) {
                d = bd;
            } else {
                double v = n.doubleValue();
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new InvalidInputException("awsResources", path + " is " + v
                            + ", which JSON cannot hold; give a finite number.");
                }
                d = new BigDecimal(n.toString());
            }
            if (d.signum() == 0) {
                return 0L;
            }
            BigDecimal stripped = d.stripTrailingZeros();
            // the digit bound keeps a number like 1e1000000 from being expanded into a million digits
            if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 40) {
                BigInteger whole = stripped.toBigIntegerExact();
                return whole.bitLength() < 64 ? (Object) whole.longValue() : whole;
            }
            return stripped;
        }
    }
}
