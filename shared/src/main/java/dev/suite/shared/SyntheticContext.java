package dev.suite.shared;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * A Lambda context where no Lambda runtime made one: priming invocations before the SnapStart snapshot, the
 * local runtime's invocations and tests. Its remaining time counts down from the given timeout, as Lambda's does.
 */
public final class SyntheticContext implements Context {
    private final String name;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadlineNanos;

    public SyntheticContext(String name, Duration timeout) {
        this.name = name;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    public SyntheticContext(String name) {
        this(name, Duration.ofSeconds(29));
    }

    public SyntheticContext() {
        this("test-function");
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + name;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return name;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + name;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int)
                Math.max(0, Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis());
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
