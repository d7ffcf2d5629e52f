package dev.oneclick.internal.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.FileEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.EndpointAuthScheme;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * PutObject of one file, DeleteObject, and a page of ListObjectsV2, without the SDK's request pipeline: the SDK's S3
 * endpoint rules find the URL, its SigV4 signer signs the request, its retry strategy decides retries and back-off,
 * and Apache HttpClient (the SDK's own sync transport) sends it, on a thread of a small pool (an upload, a listing
 * page) or the caller's (a delete). On AWS the body's integrity is the SHA-256 the scan computed, sent as the signed
 * {@code x-amz-checksum-sha256} header, which S3 checks against the bytes it receives (and keeps with the object), so
 * the body is never hashed again here. To an S3-compatible store the payload goes unsigned and without a checksum
 * header, as the SDK's async client sends it there.
 *
 * <p>Why: a new JVM (every {@code mvn oneclick:deploy}) spends most of a full upload's CPU in the SDK's per-request
 * machinery (marshalling, interceptors, auth-scheme and endpoint resolution, Netty's pipeline), which a JVM that runs
 * briefly never compiles well. For 5,000 small files this path took about 1.5 s of CPU where the SDK's async client
 * took 3.4-4.1 s (bench/README.md).
 *
 * <p>Errors come back as the SDK's: an {@link S3Exception} with the S3 error code, message and request id, or an
 * {@link SdkClientException} with the I/O failure as its cause, after the retry strategy gave up. 503 and 429 answers
 * are counted in the {@link ThrottleCounter} per attempt, as the interceptor does on the SDK's clients. Thread-safe.
 */
public final class DirectS3 implements AutoCloseable {
    /** How much of an error answer's body is read for its code and message. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final Pattern REQUEST_ID = Pattern.compile("<RequestId>([^<]*)</RequestId>");

    private final Region region;
    private final URI endpointOverride;
    /** An S3-compatible store: path-style addressing, and no flexible-checksum headers (s3proxy answers 501). */
    private final boolean s3Compatible;
    private final AwsCredentialsProvider credentials;
    private final RetryStrategy retry;
    private final ThrottleCounter throttles;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final CloseableHttpClient http;
    private final ExecutorService threads;

    /**
     * @param region the buckets' region
     * @param endpointOverride the S3 endpoint (an S3-compatible store), or null for AWS's
     * @param s3Compatible an S3-compatible store, as the S3 clients' setting: path-style addressing, and the
     *     payload not checked by the store (as the SDK's async client sends it there: unsigned, no checksum)
     * @param retry the retry strategy of the deployer's other clients
     * @param maxConnections connections kept open at most (the sync's ceiling of requests in flight is lower)
     */
    public DirectS3(Region region, URI endpointOverride, boolean s3Compatible, AwsCredentialsProvider credentials,
            RetryStrategy retry, ThrottleCounter throttles, int maxConnections) {
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.s3Compatible = s3Compatible;
        this.credentials = credentials;
        this.retry = retry;
        this.throttles = throttles;
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setMaxTotal(maxConnections);
        pool.setDefaultMaxPerRoute(maxConnections);
        RequestConfig config = RequestConfig.custom().setConnectTimeout(10_000).setSocketTimeout(30_000)
                .setConnectionRequestTimeout(120_000).setNormalizeUri(false).setRedirectsEnabled(false)
                .setExpectContinueEnabled(false).build();
        this.http = HttpClients.custom().setConnectionManager(pool).setDefaultRequestConfig(config)
                .disableContentCompression().disableCookieManagement().disableAuthCaching()
                .disableAutomaticRetries().disableRedirectHandling().setUserAgent("oneclick").build();
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "oneclick-s3-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Uploads {@code file} as {@code request} describes (bucket, key, content type, cache control, metadata; other
     * fields are not sent) and completes with the object's ETag.
     *
     * @param sha256Hex the SHA-256 of the file's bytes, hex: S3 refuses the upload when the bytes it receives differ
     *     (not sent to an S3-compatible store)
     * @param bytes the file's bytes, read on the upload's thread (it may throw to say the file changed); null to
     *     stream {@code file}, which must still be {@code size} bytes long
     */
    public CompletableFuture<String> putObject(PutObjectRequest request, String sha256Hex, Path file, long size,
            Supplier<byte[]> bytes) {
        return CompletableFuture.supplyAsync(() -> withRetries(request, sha256Hex, file, size, bytes), threads);
    }

    private String withRetries(PutObjectRequest request, String sha256Hex, Path file, long size,
            Supplier<byte[]> bytes) {
        HttpEntity body = body(file, size, bytes);
        Target target = targets.computeIfAbsent(request.bucket(), this::target);
        return send(target, unsigned(target, request, s3Compatible ? null : sha256Hex, size), body, DirectS3::etag);
    }

    /**
     * Deletes one object (version) on the caller's thread, retried as a PutObject is: for a store without
     * DeleteObjects, whose objects go one by one.
     *
     * @param versionId the version to delete, or null for the current object
     */
    public void deleteObject(String bucket, String key, String versionId) {
        Target target = targets.computeIfAbsent(bucket, this::target);
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder().method(SdkHttpMethod.DELETE)
                .uri(target.url(key));
        if (versionId != null) {
            b.putRawQueryParameter("versionId", versionId);
        }
        send(target, b.build(), null, DirectS3::etag);
    }

    /**
     * One page of ListObjectsV2 of {@code bucket}, sent on a thread of the pool and retried as a PutObject is. Asks
     * for {@code encoding-type=url} and decodes the keys, as the SDK does, so a key XML 1.0 cannot carry still lists.
     * The answer is read by {@link ListPage} as it streams in, instead of the SDK's document tree and model objects.
     *
     * @param startAfter list keys after this one (null: from the start)
     * @param continuationToken the previous page's {@link ListPage#nextContinuationToken} (null: none)
     * @param maxKeys the most keys in the page (S3 gives at most 1,000)
     */
    public CompletableFuture<ListPage> listObjectsV2(String bucket, String startAfter, String continuationToken,
            int maxKeys) {
        return CompletableFuture.supplyAsync(() -> listPage(bucket, startAfter, continuationToken, maxKeys), threads);
    }

    private ListPage listPage(String bucket, String startAfter, String continuationToken, int maxKeys) {
        Target target = targets.computeIfAbsent(bucket, this::target);
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(target.base() + "/")).putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("encoding-type", "url")
                .putRawQueryParameter("max-keys", Integer.toString(maxKeys));
        if (startAfter != null) {
            b.putRawQueryParameter("start-after", startAfter);
        }
        if (continuationToken != null) {
            b.putRawQueryParameter("continuation-token", continuationToken);
        }
        return send(target, b.build(), null, ListPage::read);
    }

    /** Sends {@code unsigned} until it succeeds or the retry strategy gives up; {@code read} reads the answer. */
    private <T> T send(Target target, SdkHttpFullRequest unsigned, HttpEntity body, Answer<T> read) {
        AcquireInitialTokenResponse first = retry.acquireInitialToken(AcquireInitialTokenRequest.create("S3"));
        RetryToken token = first.token();
        sleep(first.delay());
        while (true) {
            try {
                T answer = attempt(target, unsigned, body, read);
                retry.recordSuccess(RecordSuccessRequest.create(token));
                return answer;
            } catch (SdkException e) {
                RefreshRetryTokenResponse next;
                try {
                    next = retry.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(e)
                            .build());
                } catch (TokenAcquisitionFailedException no) {
                    throw e;
                }
                token = next.token();
                sleep(next.delay());
            }
        }
    }

    private static HttpEntity body(Path file, long size, Supplier<byte[]> bytes) {
        if (bytes != null) {
            return new ByteArrayEntity(bytes.get());
        }
        FileEntity entity = new FileEntity(file.toFile());
        if (entity.getContentLength() != size) {
            throw SdkClientException.create(file + " is " + entity.getContentLength() + " bytes now, " + size
                    + " when it was scanned");
        }
        return entity;
    }

    /** The request to sign: the URL the SDK's endpoint rules give for the bucket, and the headers S3 reads. */
    private static SdkHttpFullRequest unsigned(Target target, PutObjectRequest request, String sha256Hex,
            long size) {
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                .uri(target.url(request.key())).putHeader("Content-Length", Long.toString(size));
        if (sha256Hex != null) {
            b.putHeader("x-amz-sdk-checksum-algorithm", "SHA256");
            b.putHeader("x-amz-checksum-sha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(
                    sha256Hex)));
        }
        if (request.contentType() != null) {
            b.putHeader("Content-Type", request.contentType());
        }
        if (request.cacheControl() != null) {
            b.putHeader("Cache-Control", request.cacheControl());
        }
        request.metadata().forEach((k, v) -> b.putHeader("x-amz-meta-" + k, v));
        return b.build();
    }

    /**
     * One attempt (a PUT with {@code body}, a GET or a DELETE without): signed now (a retry's signature has that
     * attempt's time), sent, and its answer read by {@code read}.
     */
    private <T> T attempt(Target target, SdkHttpFullRequest unsigned, HttpEntity body, Answer<T> read) {
        SdkHttpRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(unsigned)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, target.signingName())
                .putProperty(AwsV4HttpSigner.REGION_NAME, target.signingRegion())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
        HttpRequestBase request = switch (unsigned.method()) {
            case GET -> new HttpGet(signed.getUri());
            case DELETE -> new HttpDelete(signed.getUri());
            case PUT -> {
                HttpPut put = new HttpPut(signed.getUri());
                put.setEntity(body);
                yield put;
            }
            default -> throw new IllegalArgumentException("DirectS3 does not send " + unsigned.method());
        };
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> request.addHeader(name, v));
            }
        });
        try (CloseableHttpResponse response = http.execute(request)) {
            int status = response.getStatusLine().getStatusCode();
            throttles.record(status);
            if (status / 100 == 2) {
                try {
                    return read.read(response);
                } finally {
                    EntityUtils.consume(response.getEntity());
                }
            }
            throw error(status, response.getStatusLine().getReasonPhrase(), response);
        } catch (IOException e) {
            throw SdkClientException.builder().message("Unable to execute HTTP request: " + e.getMessage())
                    .cause(e).build();
        }
    }

    /** Reads a successful answer. */
    private interface Answer<T> {
        T read(CloseableHttpResponse response) throws IOException;
    }

    private static String etag(CloseableHttpResponse response) {
        org.apache.http.Header etag = response.getFirstHeader("ETag");
        return etag == null ? null : etag.getValue();
    }

    /** The S3 error an answer describes, as the SDK would build it. */
    private static S3Exception error(int status, String reason, CloseableHttpResponse response) throws IOException {
        String xml = "";
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            try (InputStream in = entity.getContent()) {
                xml = new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
            }
        }
        String code = first(CODE, xml, reason);
        String message = first(MESSAGE, xml, reason);
        org.apache.http.Header idHeader = response.getFirstHeader("x-amz-request-id");
        String requestId = first(REQUEST_ID, xml, idHeader == null ? null : idHeader.getValue());
        AwsErrorDetails details = AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3")
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).statusText(reason).build()).build();
        return (S3Exception) S3Exception.builder().awsErrorDetails(details).statusCode(status).requestId(requestId)
                .message(message).build();
    }

    private static String first(Pattern p, String xml, String otherwise) {
        Matcher m = p.matcher(xml);
        return m.find() ? m.group(1) : otherwise;
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("Interrupted while waiting to retry an S3 request", e);
        }
    }

    /** Where a bucket's objects go, and how requests to it are signed. */
    private record Target(String base, String signingName, String signingRegion) {
        URI url(String key) {
            return URI.create(base + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
        }
    }

    private Target target(String bucket) {
        Endpoint endpoint = S3EndpointProvider.defaultProvider().resolveEndpoint(p -> p.bucket(bucket).region(region)
                .endpoint(endpointOverride == null ? null : endpointOverride.toString()).forcePathStyle(s3Compatible)
                .useFips(false).useDualStack(false).accelerate(false).useGlobalEndpoint(false)).join();
        String name = "s3";
        String signingRegion = region.id();
        for (EndpointAuthScheme scheme : endpoint.attribute(AwsEndpointAttribute.AUTH_SCHEMES)) {
            if (scheme instanceof SigV4AuthScheme v4) {
                name = v4.signingName() == null ? name : v4.signingName();
                signingRegion = v4.signingRegion() == null ? signingRegion : v4.signingRegion();
                break;
            }
        }
        String base = endpoint.url().toString();
        return new Target(base.endsWith("/") ? base.substring(0, base.length() - 1) : base, name, signingRegion);
    }

    @Override
    public void close() throws IOException {
        threads.shutdown();
        http.close();
    }
}
