package dev.oneclick.maven.iam;

/**
 * One AWS API call as the SDK names it, with the names it acted on (null when the request has none).
 *
 * @param service the SDK service name, e.g. {@code S3}, {@code CloudFront}, {@code DynamoDb}, {@code Sts}
 * @param operation the API operation, e.g. {@code PutObject}
 * @param region the signing region, e.g. {@code us-east-1}
 * @param bucket the S3 bucket
 * @param key the S3 object key
 * @param table the DynamoDB table
 * @param index the DynamoDB index
 */
public record AwsOperation(String service, String operation, String region, String bucket, String key, String table,
        String index) {

    public static AwsOperation of(String service, String operation) {
        return new AwsOperation(service, operation, "us-east-1", null, null, null, null);
    }

    @Override
    public String toString() {
        return service + ":" + operation + (bucket == null ? "" : " bucket=" + bucket)
                + (table == null ? "" : " table=" + table) + (index == null ? "" : " index=" + index);
    }
}
