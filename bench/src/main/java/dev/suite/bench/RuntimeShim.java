package dev.suite.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Lambda's java17 managed runtime does with a function, in a fresh JVM whose class path holds only this class and
 * the runtime's own libraries ({@code aws-lambda-java-core}, {@code aws-lambda-java-serialization}): the deployable jar
 * in its own {@link URLClassLoader} (parent: the application loader, so {@code RequestHandler} and {@code Context} are
 * the runtime's), also the thread's context loader; the handler built through its public no-argument constructor; the
 * event deserialized into the handler's input type by the serialization library (its event serializers for
 * {@code aws-lambda-java-events} types, its shaded Jackson otherwise), and the answer serialized back by it. Prints
 * {@code READY} after init and {@code DONE} after the first answer; the parent times both from spawn.
 *
 * <p>Arguments: handler class, jar, event file, and optionally {@code prime} or {@code unprimed}: the priming check.
 * {@code prime} runs the function's priming hooks after init (what SnapStart runs before the snapshot and after restore);
 * both then load the marker classes {@link FirstRequestStarts} and {@link FirstRequestEnds} around the first request,
 * so a {@code -Xlog:class+load} log shows what it loaded, and print {@code LOADED n} (ClassLoadingMXBean).
 */
public final class RuntimeShim {
    /** The marker classes' names (named, not referenced, so they load only when the check loads them). */
    static final String STARTS = "dev.suite.bench.RuntimeShim$FirstRequestStarts";
    static final String ENDS = "dev.suite.bench.RuntimeShim$FirstRequestEnds";

    private RuntimeShim() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        URLClassLoader customer = new URLClassLoader(new URL[] {Path.of(args[1]).toUri().toURL()}, RuntimeShim.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(customer);
        Class<?> type = Class.forName(args[0], true, customer);
        Object handler = type.getConstructor().newInstance();
        System.out.println("READY");
        System.out.flush();
        String check = args.length > 3 ? args[3] : null;
        if ("prime".equals(check)) {
            crac(customer, "beforeCheckpoint");
            crac(customer, "afterRestore");
        }
        byte[] event = Files.readAllBytes(Path.of(args[2]));
        Context context = new Ctx();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ClassLoadingMXBean classes = check == null ? null : ManagementFactory.getClassLoadingMXBean();
        long before;
        long after;
        if (handler instanceof RequestStreamHandler s) {
            before = mark(classes, STARTS);
            s.handleRequest(new ByteArrayInputStream(event), out, context);
            after = mark(classes, ENDS);
        } else {
            Type[] io = io(type);
            PojoSerializer<Object> in = serializer(io[0], customer);
            PojoSerializer<Object> answer = serializer(io[1], customer);
            Object input = in.fromJson(new ByteArrayInputStream(event));
            before = mark(classes, STARTS);
            Object output = ((RequestHandler) handler).handleRequest(input, context);
            after = mark(classes, ENDS);
            answer.toJson(output, out);
        }
        if (check != null) {
            System.out.println("LOADED " + (after - before));
        }
        String answer = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        System.out.println("DONE " + (answer.length() > 160 ? answer.substring(0, 160) + "..." : answer));
        System.out.flush();
        System.exit(0);
    }

    /** When checking: the count of classes loaded so far, then the marker class loaded (it shows in the class-load log). */
    private static long mark(ClassLoadingMXBean classes, String marker) throws ClassNotFoundException {
        if (classes == null) {
            return 0;
        }
        long count = classes.getTotalLoadedClassCount();
        Class.forName(marker);
        return count;
    }

    /** The runtime's choice: the event serializers for aws-lambda-java-events types, else its shaded Jackson. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader customer) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return LambdaEventSerializers.serializerFor((Class<Object>) c, customer);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The input and output types of the handler's RequestHandler, from it or a superclass. */
    private static Type[] io(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
        }
        throw new IllegalArgumentException(type + " does not implement RequestHandler with concrete types");
    }

    /**
     * Runs one hook of every priming resource the function registered ({@code dev.suite.shared.Priming}, in the function's
     * own copy), as SnapStart triggers them. The global org.crac context refuses to be called outside a CRaC JVM, so the
     * resources are asked for directly, as {@code local/}'s PrimingTest does.
     */
    private static void crac(ClassLoader customer, String hook) throws Exception {
        Class<?> priming = Class.forName("dev.suite.shared.Priming", true, customer);
        Class<?> contextType = Class.forName("org.crac.Context", true, customer);
        Method m = priming.getMethod(hook, contextType);
        for (Object p : (List<?>) priming.getMethod("registered").invoke(null)) {
            m.invoke(p, (Object) null);
        }
    }

    /** Loaded just before the first request when checking priming: a marker in the class-load log. */
    static final class FirstRequestStarts {
    }

    /** Loaded just after the first request when checking priming. */
    static final class FirstRequestEnds {
    }

    private static final class Ctx implements Context {
        @Override public String getAwsRequestId() { return "cold-start"; }
        @Override public String getLogGroupName() { return "bench"; }
        @Override public String getLogStreamName() { return "bench"; }
        @Override public String getFunctionName() { return "bench"; }
        @Override public String getFunctionVersion() { return "1"; }
        @Override public String getInvokedFunctionArn() { return "bench"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 29_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { }
                @Override public void log(byte[] message) { }
            };
        }
    }
}
