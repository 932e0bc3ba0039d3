/**
 * The {@code aws} export provider: EC2 instances exported through the EBS direct APIs (only the
 * written blocks) or through {@code CreateInstanceExportTask} to S3. Entry point: {@link
 * io.hypersdk.provider.aws.AwsExportProvider}, found through the provider SPI.
 */
package io.hypersdk.provider.aws;
