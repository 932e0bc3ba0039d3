package io.hypersdk.provider.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The SDK clients of one session, all on one HTTP client and one credentials provider (the SDK's
 * default chain, or one profile of it). Throttling ({@code RequestLimitExceeded}, 503 {@code
 * SlowDown}) and 5xx answers are retried with jittered exponential backoff.
 */
final class AwsClients implements AutoCloseable {
    final Ec2Client ec2;
    final EbsClient ebs;
    final S3Client s3;
    final S3Presigner presigner;
    final Region region;
    private final SdkHttpClient http;

    AwsClients(AwsSettings settings, Tuning tuning) {
        AwsCredentialsProvider credentials =
                settings.profile()
                        .<AwsCredentialsProvider>map(
                                p -> ProfileCredentialsProvider.builder().profileName(p).build())
                        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        this.region = settings.region().map(Region::of).orElseGet(() -> regionFromChain(settings));
        this.http =
                Apache5HttpClient.builder()
                        .maxConnections(Math.max(50, settings.blockParallel() * 2))
                        .connectionTimeout(Duration.ofSeconds(30))
                        .socketTimeout(Duration.ofSeconds(120))
                        .build();
        ClientOverrideConfiguration override =
                ClientOverrideConfiguration.builder()
                        .retryStrategy(
                                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                        .maxAttempts(tuning.maxAttempts())
                                        .backoffStrategy(
                                                BackoffStrategy.exponentialDelay(
                                                        tuning.baseDelay(), tuning.maxDelay()))
                                        .throttlingBackoffStrategy(
                                                BackoffStrategy.exponentialDelay(
                                                        tuning.baseDelay(), tuning.maxDelay()))
                                        .build())
                        .build();
        this.ec2 =
                configure(Ec2Client.builder(), credentials, override, settings.ec2Endpoint())
                        .httpClient(http)
                        .build();
        this.ebs =
                configure(EbsClient.builder(), credentials, override, settings.ebsEndpoint())
                        .httpClient(http)
                        .build();
        S3Configuration s3config =
                S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.s3Endpoint().isPresent())
                        .build();
        this.s3 =
                configure(S3Client.builder(), credentials, override, settings.s3Endpoint())
                        .serviceConfiguration(s3config)
                        .httpClient(http)
                        .build();
        S3Presigner.Builder pb =
                S3Presigner.builder()
                        .credentialsProvider(credentials)
                        .region(region)
                        .serviceConfiguration(s3config);
        settings.s3Endpoint().ifPresent(pb::endpointOverride);
        this.presigner = pb.build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(
            B builder,
            AwsCredentialsProvider credentials,
            ClientOverrideConfiguration override,
            java.util.Optional<URI> endpoint) {
        builder.credentialsProvider(credentials).region(region).overrideConfiguration(override);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    private static Region regionFromChain(AwsSettings settings) {
        try {
            AwsRegionProviderChain chain =
                    settings.profile().isPresent()
                            ? new AwsRegionProviderChain(
                                    new AwsProfileRegionProvider(null, settings.profile().get()),
                                    DefaultAwsRegionProviderChain.builder().build())
                            : new AwsRegionProviderChain(
                                    DefaultAwsRegionProviderChain.builder().build());
            return chain.getRegion();
        } catch (RuntimeException e) {
            throw new io.hypersdk.provider.spi.ProviderConfigException(
                    "no AWS region is configured: add --provider-option"
                            + " region=REGION, or set AWS_REGION, or a region in the profile");
        }
    }

    @Override
    public void close() {
        ec2.close();
        ebs.close();
        s3.close();
        presigner.close();
        http.close();
    }

    /**
     * Retry and polling tuning (tests shorten it).
     *
     * @param maxAttempts attempts per SDK call, throttling included
     * @param baseDelay first backoff of the SDK's retries
     * @param maxDelay backoff cap of the SDK's retries
     * @param blockAttempts attempts per EBS block whose checksum does not match
     */
    record Tuning(int maxAttempts, Duration baseDelay, Duration maxDelay, int blockAttempts) {
        static Tuning defaults() {
            return new Tuning(8, Duration.ofMillis(200), Duration.ofSeconds(20), 3);
        }
    }
}
