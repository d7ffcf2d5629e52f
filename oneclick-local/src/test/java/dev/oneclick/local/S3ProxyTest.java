package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3ProxyTest {

    @Test
    void start_whenObjectPut_getReturnsIt() {
        try (S3Proxy proxy = S3Proxy.start();
                S3Client s3 = Clients.s3(proxy.endpoint(), Clients.REGION, Clients.CREDENTIALS).build()) {
            s3.createBucket(b -> b.bucket("bucket-one"));
            s3.putObject(b -> b.bucket("bucket-one").key("a.txt").contentType("text/plain"), RequestBody.fromString("hi"));
            assertEquals("hi", s3.getObjectAsBytes(b -> b.bucket("bucket-one").key("a.txt")).asUtf8String());
        }
    }
}
