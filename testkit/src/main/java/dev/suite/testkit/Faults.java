package dev.suite.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/** A real SDK client with one operation intercepted: fault injection without mocking the rest. */
public final class Faults {
    private Faults() {}

    /**
     * Delegates every call to {@code real}, except the method named {@code operation}, which goes to
     * {@code fault(callNumber, args)}: return a value to answer with it, or null to let the real call through.
     */
    public static DynamoDbClient dynamo(
            DynamoDbClient real, String operation, BiFunction<Integer, Object[], Object> fault) {
        return intercept(DynamoDbClient.class, real, operation, fault);
    }

    /** The same for any client interface (Cognito, S3, ...). */
    public static <T> T intercept(
            Class<T> type, T real, String operation, BiFunction<Integer, Object[], Object> fault) {
        AtomicInteger calls = new AtomicInteger();
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault()
                    && method.getParameterCount() == 1
                    && Consumer.class.equals(method.getParameterTypes()[0])) {
                // the SDK's consumer-builder overloads build the request and call the request overload on this proxy
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals(operation)) {
                Object answer = fault.apply(calls.incrementAndGet(), args);
                if (answer instanceof RuntimeException e) {
                    throw e;
                }
                if (answer != null) {
                    return answer;
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(Faults.class.getClassLoader(), new Class<?>[] {type}, h));
    }

    /** What DynamoDB throws when a table is throttled (the SDK counts it as throttling: isThrottlingException()). */
    public static ProvisionedThroughputExceededException throttled() {
        return ProvisionedThroughputExceededException.builder()
                .message("throttled (injected)")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException")
                        .serviceName("DynamoDb")
                        .build())
                .build();
    }
}
