package dev.suite.shared;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Lambda context of priming invocations (no real request behind them). */
public final class SyntheticContext implements Context {
    private final String name;

    public SyntheticContext(String name) {
        this.name = name;
    }

    @Override public String getAwsRequestId() { return "priming"; }
    @Override public String getLogGroupName() { return "priming"; }
    @Override public String getLogStreamName() { return "priming"; }
    @Override public String getFunctionName() { return name; }
    @Override public String getFunctionVersion() { return "priming"; }
    @Override public String getInvokedFunctionArn() { return "priming"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 10_000; }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { }
            @Override public void log(byte[] message) { }
        };
    }
}
