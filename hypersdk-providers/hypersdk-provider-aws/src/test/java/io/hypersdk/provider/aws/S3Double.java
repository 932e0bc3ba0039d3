package io.hypersdk.provider.aws;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy in this JVM on loopback: the real S3 protocol with SigV4 checking, holding the object an
 * export task wrote. Public for the CLI's end-to-end tests.
 */
public final class S3Double implements AutoCloseable {
    private final S3ProxyJunitCore proxy;

    public S3Double(String accessKey, String secretKey) throws Exception {
        proxy = new S3ProxyJunitCore.Builder().withCredentials(accessKey, secretKey).build();
        proxy.beforeEach();
    }

    public URI endpoint() {
        URI u = proxy.getUri();
        return URI.create("http://127.0.0.1:" + u.getPort());
    }

    /** Creates the bucket and uploads {@code file} as {@code key} (with this double's own keys). */
    public void put(String bucket, String key, Path file) {
        try (S3Client s3 = client()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        }
    }

    /** Whether the object exists. */
    public boolean exists(String bucket, String key) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().stream()
                    .anyMatch(o -> o.key().equals(key));
        }
    }

    private S3Client client() {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(
                                        proxy.getAccessKey(), proxy.getSecretKey())))
                .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
                .build();
    }

    @Override
    public void close() {
        proxy.afterEach();
    }
}
