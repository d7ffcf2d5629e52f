package dev.oneclick.faults;

import dev.oneclick.tracking.internal.Items;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * An SDK interceptor on a rerun's DynamoDB client that notes when the run was first granted a project lease: the
 * first successful write that sets the lease holder (the conditional UpdateItem, or the PutItem that creates the
 * record). The grant's condition compares the old lease's expiry with the run's clock, so a grant noted at or after
 * the expiry is one the engine took only once the old lease had expired.
 */
final class LeaseGrants implements ExecutionInterceptor {
    private volatile Instant first;

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (first == null && takesLease(context.request())) {
            first = Instant.now();
        }
    }

    static boolean takesLease(SdkRequest request) {
        if (request instanceof UpdateItemRequest u) {
            return u.updateExpression() != null && u.updateExpression().startsWith("SET ")
                    && u.hasExpressionAttributeNames() && u.expressionAttributeNames().containsValue(Items.LEASE_HOLDER);
        }
        return request instanceof PutItemRequest p && p.hasItem() && p.item().containsKey(Items.LEASE_HOLDER);
    }

    Optional<Instant> first() {
        return Optional.ofNullable(first);
    }
}
