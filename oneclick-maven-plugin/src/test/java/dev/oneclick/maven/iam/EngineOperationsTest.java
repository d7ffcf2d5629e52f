package dev.oneclick.maven.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * CloudFront and the S3 control plane have no emulator here, so their calls cannot be recorded from a real run (the
 * engine's tests use fakes of the client interfaces, which the SDK's interceptors never see). The hand-written list
 * in {@link IamPolicyTest#engineOperations()} covers them; this test keeps that list honest by scanning the
 * engine's source ({@code oneclick-core/src/main/java}) for every call of an SDK client operation and failing when
 * one is not in the list (and so not checked against {@code docs/iam-policy.json}).
 */
class EngineOperationsTest {
    private static final Path CORE_SOURCES = Path.of(System.getProperty("basedir", ".")).resolve(
            "../oneclick-core/src/main/java").normalize();
    private static final Pattern CALL = Pattern.compile("(\\w*)\\s*(?:\\.|::)\\s*([a-z][A-Za-z0-9]*)\\s*\\(?");

    /** Calls that look like SDK operations but are the engine's own methods (receiver.method). */
    private static final Set<String> OWN_METHODS = Set.of(
            "sync.scan", // SiteSync.scan walks the site folder; it is not DynamoDB's Scan
            "SiteScanner.scan"); // what SiteSync.scan delegates to

    /** SDK method name -> the services (as {@link AwsOperation#service()}) that have an operation of that name. */
    static Map<String, Set<String>> sdkOperations() {
        Map<String, Set<String>> out = new TreeMap<>();
        Map<String, List<Class<?>>> clients = Map.of(
                "S3", List.of(S3Client.class, S3AsyncClient.class),
                "CloudFront", List.of(CloudFrontClient.class),
                "DynamoDb", List.of(DynamoDbClient.class),
                "Sts", List.of(StsClient.class),
                // the full stack's network, load balancer and database
                "Ec2", List.of(software.amazon.awssdk.services.ec2.Ec2Client.class),
                "ElasticLoadBalancingV2", List.of(software.amazon.awssdk.services.elasticloadbalancingv2
                        .ElasticLoadBalancingV2Client.class),
                "Rds", List.of(software.amazon.awssdk.services.rds.RdsClient.class));
        Map<String, List<Class<?>>> all = new TreeMap<>(clients);
        all.putAll(StackComputeActions.CLIENTS); // the full stack's compute half
        all.forEach((service, types) -> {
            for (Class<?> type : types) {
                for (Method m : type.getMethods()) {
                    if (m.getParameterCount() >= 1 && m.getParameterTypes()[0].getSimpleName().endsWith("Request")) {
                        out.computeIfAbsent(m.getName(), k -> new TreeSet<>()).add(service);
                    }
                }
            }
        });
        return out;
    }

    static String operationName(String method) {
        String name = method.endsWith("Paginator") ? method.substring(0, method.length() - "Paginator".length())
                : method;
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Each SDK operation method the engine's source calls, with the files calling it. */
    static Map<String, Set<String>> calledInEngine() throws IOException {
        Map<String, Set<String>> ops = sdkOperations();
        Map<String, Set<String>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORE_SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            String src = Files.readString(f);
            if (!src.contains("software.amazon.awssdk.services.")) {
                continue; // no SDK client in this file
            }
            Matcher m = CALL.matcher(src);
            while (m.find()) {
                if (ops.containsKey(m.group(2)) && !OWN_METHODS.contains(m.group(1) + "." + m.group(2))) {
                    out.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(f.getFileName().toString());
                }
            }
        }
        return out;
    }

    @Test
    void engineOperations_whenEngineSourceScanned_listEveryOperationTheEngineCalls() throws Exception {
        Map<String, Set<String>> ops = sdkOperations();
        Map<String, Set<String>> called = calledInEngine();
        assertTrue(called.containsKey("createDistributionWithTags") && called.containsKey("putObject"),
                "the scan finds the engine's calls in " + CORE_SOURCES + ": " + called.keySet());
        Set<String> listed = IamPolicyTest.engineOperations().stream()
                .map(o -> o.service() + ":" + o.operation()).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        called.forEach((method, where) -> {
            String operation = operationName(method);
            boolean inList = ops.get(method).stream().anyMatch(s -> listed.contains(s + ":" + operation));
            if (!inList) {
                missing.add(ops.get(method) + ":" + operation + " (called in " + where + ")");
            }
        });
        assertEquals(List.of(), missing, "SDK operations the engine calls that IamPolicyTest.engineOperations() "
                + "does not list, so docs/iam-policy.json is never checked for them");
    }
}
