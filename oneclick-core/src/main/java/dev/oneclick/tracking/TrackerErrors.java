package dev.oneclick.tracking;

import dev.oneclick.errors.TooLargeException;
import dev.oneclick.errors.TrackerException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** How DynamoDB failures of the tracker become typed errors naming the table and the operation. */
final class TrackerErrors {
    private TrackerErrors() {
    }

    static RuntimeException failure(String table, String operation, SdkException e) {
        String where = " (DynamoDB table '" + table + "', operation " + operation + ")";
        if (e instanceof ResourceNotFoundException) {
            return new TrackerException("DynamoDB table '" + table + "' does not exist (operation " + operation
                    + "); call ensureTable() to create it, or check the table name and region.", e);
        }
        if (e instanceof DynamoDbException d && d.awsErrorDetails() != null
                && "ValidationException".equals(d.awsErrorDetails().errorCode())
                && String.valueOf(d.awsErrorDetails().errorMessage()).toLowerCase(java.util.Locale.ROOT)
                        .contains("item size")) {
            return new TooLargeException("awsResources", "The record would exceed DynamoDB's 400 KB item "
                    + "limit" + where + "; nothing was written. Record fewer or smaller resources.", e);
        }
        if (e instanceof SdkClientException) {
            return new TrackerException("Could not reach DynamoDB" + where + ": " + e.getMessage()
                    + " Check the endpoint, region, credentials and network.", e);
        }
        return new TrackerException("DynamoDB call failed" + where + ": " + e.getMessage(), e);
    }
}
