package io.hypersdk.provider.aws;

import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.TransferException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into the SPI's exceptions with one line naming what was asked and what to do.
 */
final class AwsErrors {
    private AwsErrors() {}

    /**
     * @param doing what was being done, e.g. "CreateSnapshots for i-0abc"
     */
    static ExportException wrap(SdkException e, String doing) {
        if (e instanceof AwsServiceException s) {
            String code =
                    s.awsErrorDetails() == null
                            ? ""
                            : String.valueOf(s.awsErrorDetails().errorCode());
            String msg =
                    s.awsErrorDetails() == null
                            ? ""
                            : String.valueOf(s.awsErrorDetails().errorMessage());
            String detail =
                    "AWS answered "
                            + s.statusCode()
                            + (code.isEmpty() || code.equals("null") ? "" : " " + code)
                            + (msg.isEmpty() || msg.equals("null") ? "" : ": " + msg.strip());
            if (s.statusCode() == 401
                    || s.statusCode() == 403
                    || code.contains("AuthFailure")
                    || code.contains("SignatureDoesNotMatch")
                    || code.contains("InvalidAccessKeyId")
                    || code.contains("UnauthorizedOperation")
                    || code.contains("AccessDenied")) {
                return new AuthenticationException(
                        doing
                                + " was refused ("
                                + detail
                                + "); check the credentials the AWS"
                                + " default chain finds (AWS_PROFILE or --provider-option profile=, AWS_ACCESS_KEY_ID) and their IAM permissions",
                        e);
            }
            return new ExportException(doing + " failed (" + detail + ")", e);
        }
        String m =
                e.getMessage() == null
                        ? e.getClass().getSimpleName()
                        : e.getMessage().lines().findFirst().orElse("");
        if (m.contains("Unable to load credentials") || m.contains("Unable to load region")) {
            return new AuthenticationException(
                    doing
                            + " failed: "
                            + m.strip()
                            + "; configure credentials for the AWS default"
                            + " chain (environment, profile, SSO or instance metadata)",
                    e);
        }
        return new TransferException(
                doing + " failed: " + m.strip() + "; check the network path to AWS and try again",
                e);
    }
}
