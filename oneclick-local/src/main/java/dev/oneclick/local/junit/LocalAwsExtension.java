package dev.oneclick.local.junit;

import dev.oneclick.local.LocalAws;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * JUnit Jupiter extension giving tests real local DynamoDB and S3 endpoints.
 *
 * <pre>{@code
 * @ExtendWith(LocalAwsExtension.class)
 * class TrackerWireTest {
 *     @Test
 *     void save_whenNew_writesItem(DynamoDbClient dynamoDb, LocalAws aws) { ... }
 * }
 * }</pre>
 *
 * <p>Resolves constructor, lifecycle-method and test-method parameters of type {@link LocalAws},
 * {@link DynamoDbClient}, {@link S3Client} and {@link S3AsyncClient}. One {@link LocalAws} (started with
 * {@link LocalAws#start()}, so the backend follows {@code oneclick.local.backend} / {@code ONECLICK_LOCAL_BACKEND})
 * serves the whole test run: it lives in the root context's store and is closed when the run ends. Tests share its
 * servers, so each test should use its own table and bucket names. The backend is printed once to standard out,
 * e.g. {@code oneclick-local: backend=emulators (dynalite 4.0.0 at http://127.0.0.1:40123, s3proxy 2.6.0 at
 * http://127.0.0.1:40124)}.
 */
public final class LocalAwsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalAwsExtension.class);
    private static final Set<Class<?>> TYPES = Set.of(LocalAws.class, DynamoDbClient.class, S3Client.class,
            S3AsyncClient.class);

    /** Used by JUnit. */
    public LocalAwsExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return TYPES.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalAws aws = localAws(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == DynamoDbClient.class) {
            return aws.dynamoDbClient();
        }
        if (type == S3Client.class) {
            return aws.s3Client();
        }
        if (type == S3AsyncClient.class) {
            return aws.s3AsyncClient();
        }
        return aws;
    }

    /**
     * The run's shared {@link LocalAws}, started on first use; for code that has an {@link ExtensionContext} (other
     * extensions).
     */
    public static LocalAws localAws(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedLocalAws.class, key -> SharedLocalAws.start(), SharedLocalAws.class)
                .aws;
    }

    /**
     * Holds the run's LocalAws in the root store, which closes it when the run ends: JUnit 5.13+ closes
     * {@link AutoCloseable} values, older versions {@code CloseableResource} ones; close() is idempotent.
     */
    @SuppressWarnings("deprecation")
    private static final class SharedLocalAws implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final LocalAws aws;

        private SharedLocalAws(LocalAws aws) {
            this.aws = aws;
        }

        static SharedLocalAws start() {
            LocalAws aws = LocalAws.start();
            System.out.println("oneclick-local: " + aws.description());
            return new SharedLocalAws(aws);
        }

        @Override
        public void close() {
            aws.close();
        }
    }
}
