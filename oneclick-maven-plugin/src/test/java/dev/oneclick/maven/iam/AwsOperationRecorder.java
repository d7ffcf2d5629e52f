package dev.oneclick.maven.iam;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;

/**
 * Records every AWS operation any SDK client of this JVM performs: registered for the test run as a global
 * interceptor ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in the test resources), so
 * clients built inside the deployer are covered without a hook in its API. Thread-safe.
 */
public final class AwsOperationRecorder implements ExecutionInterceptor {
    private static final Set<AwsOperation> RECORDED = ConcurrentHashMap.newKeySet();

    /** Every operation recorded so far in this JVM. */
    public static Set<AwsOperation> recorded() {
        return Set.copyOf(RECORDED);
    }

    /** Forgets what was recorded (e.g. the local emulators' own readiness probes before a run). */
    public static void clear() {
        RECORDED.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        SdkRequest request = context.request();
        RECORDED.add(new AwsOperation(service, operation, region == null ? "us-east-1" : region.id(),
                field(request, "Bucket"), field(request, "Key"), field(request, "TableName"),
                field(request, "IndexName")));
    }

    private static String field(SdkRequest request, String name) {
        try {
            return request.getValueForField(name, String.class).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
