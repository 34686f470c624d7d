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
import dev.suite.bench.crac.Core;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Lambda's Java managed runtime ({@code java25}) does with a function, in a fresh JVM whose class path holds only
 * the bench's runtime side: this class, the bench's CRaC implementation ({@code dev.suite.bench.crac}) and the runtime's
 * own libraries ({@code aws-lambda-java-core}, {@code aws-lambda-java-serialization}). The deployable jar goes in its own
 * {@link URLClassLoader} (parent: the application loader, so {@code RequestHandler}, {@code Context} and the CRaC
 * implementation are the runtime's), also the thread's context loader; the handler is built through its public
 * no-argument constructor and its event serializers chosen (the serialization library's event serializers for
 * {@code aws-lambda-java-events} types, its shaded Jackson otherwise); each event is deserialized by them and the answer
 * serialized back. The window timed and counted for a request is the handler's call ({@code handleRequest}); the
 * runtime's own (de)serialization is outside it.
 *
 * <p>Arguments: handler class, jar, event file, mode, and for {@code snapstart} a result file.
 * <ul>
 *   <li>{@code fresh}: init and one request, printing {@link #DONE} and the answer; the parent times it from spawn.</li>
 *   <li>{@code snapstart}: init; then the function's CRaC hooks as SnapStart runs them, through org.crac's compat
 *   property ({@code -Dorg.crac.Core.Compat=dev.suite.bench.crac}, set by the parent): {@code beforeCheckpoint} of every
 *   registered resource in reverse order of registration; a full GC and the live heap and metaspace (what the snapshot
 *   holds); {@code afterRestore} in order of registration. Then the first request, with the classes it loads
 *   ({@link ClassLoadingMXBean}) between the two marker classes {@link FirstRequestStarts} and {@link FirstRequestEnds}
 *   (so a {@code -Xlog:class+load} log names them) and the JIT compilers' time meanwhile ({@link CompilationMXBean}); the
 *   second request's time (near the first: the code is still cold, interpreted; near the warm p50: a one-off cost); then
 *   {@link #WARMUP} warm-up requests (the second among them) and {@link #MEASURED} measured
 *   ones in the same JVM. Results go to the result file as {@code key=value} lines.</li>
 * </ul>
 */
public final class RuntimeShim {
    /** The marker classes' names (named, not referenced, so they load only when the shim loads them). */
    static final String STARTS = "dev.suite.bench.RuntimeShim$FirstRequestStarts";

    static final String ENDS = "dev.suite.bench.RuntimeShim$FirstRequestEnds";
    /** The line the shim prints after the first answer (a function's own log lines may share stdout). */
    static final String DONE = "@@bench-done ";

    static final int WARMUP = 100;
    static final int MEASURED = 50;

    private RuntimeShim() {}

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        URLClassLoader customer =
                new URLClassLoader(new URL[] {Path.of(args[1]).toUri().toURL()}, RuntimeShim.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(customer);
        Class<?> type = Class.forName(args[0], true, customer);
        Invoker invoker =
                new Invoker(type.getConstructor().newInstance(), type, customer, Files.readAllBytes(Path.of(args[2])));
        double initMs = (System.nanoTime() - started) / 1e6;
        if ("fresh".equals(args[3])) {
            String answer = invoker.invoke(null);
            System.out.println(DONE + (answer.length() > 160 ? answer.substring(0, 160) + "..." : answer));
            System.out.flush();
            System.exit(0);
        }
        snapStart(invoker, initMs, Path.of(args[4]));
        System.exit(0);
    }

    private static void snapStart(Invoker invoker, double initMs, Path resultFile) throws Exception {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Metaspace"))
                .findFirst()
                .orElseThrow();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("initMs", String.valueOf(initMs));
        out.put("hooks", String.valueOf(Core.registered()));
        long t = System.nanoTime();
        Core.checkpoint();
        out.put("beforeCheckpointMs", String.valueOf((System.nanoTime() - t) / 1e6));
        System.gc();
        out.put("heapBytes", String.valueOf(memory.getHeapMemoryUsage().getUsed()));
        out.put("metaspaceBytes", String.valueOf(metaspace.getUsage().getUsed()));
        out.put("classesAtCheckpoint", String.valueOf(classes.getLoadedClassCount()));
        t = System.nanoTime();
        Core.restore();
        out.put("afterRestoreMs", String.valueOf((System.nanoTime() - t) / 1e6));
        long[] window = new long[3];
        long jitBefore = jit.getTotalCompilationTime();
        String answer = invoker.invoke(new Window(classes, window));
        out.put("firstJitMs", String.valueOf(jit.getTotalCompilationTime() - jitBefore));
        out.put("firstClasses", String.valueOf(window[1]));
        out.put("firstMs", String.valueOf(window[0] / 1e6));
        out.put("answer", answer.length() > 160 ? answer.substring(0, 160) + "..." : answer);
        invoker.invoke(new Window(null, window));
        out.put("secondMs", String.valueOf(window[0] / 1e6));
        for (int i = 1; i < WARMUP; i++) {
            invoker.invoke(null);
        }
        long[] warm = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            invoker.invoke(new Window(null, window));
            warm[i] = window[0];
        }
        out.put("warmP50Ms", String.valueOf(Stats.percentile(warm, 50)));
        StringBuilder sb = new StringBuilder();
        out.forEach(
                (k, v) -> sb.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        Files.writeString(resultFile, sb.toString());
    }

    /**
     * What a request's window records: its nanoseconds in {@code result[0]}, and when counting, the classes it loaded
     * in {@code result[1]}.
     */
    private record Window(ClassLoadingMXBean classes, long[] result) {
        long open() throws ClassNotFoundException {
            if (classes == null) {
                return System.nanoTime();
            }
            Class.forName(STARTS);
            result[2] = classes.getTotalLoadedClassCount();
            return System.nanoTime();
        }

        void close(long startedNanos) throws ClassNotFoundException {
            long nanos = System.nanoTime() - startedNanos;
            result[0] = nanos;
            if (classes != null) {
                result[1] = classes.getTotalLoadedClassCount() - result[2];
                Class.forName(ENDS);
            }
        }
    }

    /** The handler with its serializers, invoked as the runtime does. */
    private static final class Invoker {
        private final Object handler;
        private final byte[] event;
        private final PojoSerializer<Object> in;
        private final PojoSerializer<Object> answer;
        private int requests;

        Invoker(Object handler, Class<?> type, ClassLoader customer, byte[] event) {
            this.handler = handler;
            this.event = event;
            if (handler instanceof RequestStreamHandler) {
                in = null;
                answer = null;
            } else {
                Type[] io = io(type);
                in = serializer(io[0], customer);
                answer = serializer(io[1], customer);
            }
        }

        /** One request; the handler's call inside {@code window} when given. Returns the answer as one line. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        String invoke(Window window) throws Exception {
            Context context = new Ctx("bench-" + (++requests));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (handler instanceof RequestStreamHandler s) {
                long t = window == null ? 0 : window.open();
                s.handleRequest(new ByteArrayInputStream(event), out, context);
                if (window != null) {
                    window.close(t);
                }
            } else {
                Object input = in.fromJson(new ByteArrayInputStream(event));
                long t = window == null ? 0 : window.open();
                Object output = ((RequestHandler) handler).handleRequest(input, context);
                if (window != null) {
                    window.close(t);
                }
                answer.toJson(output, out);
            }
            return out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        }
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

    /** Loaded just before the first request after restore: a marker in the class-load log. */
    static final class FirstRequestStarts {}

    /** Loaded just after the first request after restore. */
    static final class FirstRequestEnds {}

    private static final class Ctx implements Context {
        private final String requestId;

        Ctx(String requestId) {
            this.requestId = requestId;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "bench";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "bench");
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + getFunctionName() + ":live";
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
        public int getRemainingTimeInMillis() {
            return 29_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {}

                @Override
                public void log(byte[] message) {}
            };
        }
    }
}
