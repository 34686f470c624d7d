package dev.suite.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JavaType;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.SyntheticContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * One function of the template, run warm in-process: its handler built once through the constructor that
 * takes a Config (its own environment map), invoked with JSON in and JSON out as the Lambda runtime would.
 */
public final class LocalFunction {
    private final String name;
    private final Object handler;
    private final JavaType inputType;
    private final Invocations recorder;

    LocalFunction(String name, String handlerSpec, Config config) {
        this(name, handlerSpec, config, null);
    }

    /** With a recorder, every invocation (whoever calls: REST, WebSocket, triggers, schedules) is reported to it. */
    LocalFunction(String name, String handlerSpec, Config config, Invocations recorder) {
        this.name = name;
        this.recorder = recorder;
        String className = handlerSpec.split("::")[0];
        try {
            Class<?> type = Class.forName(className);
            this.handler = type.getConstructor(Config.class).newInstance(config);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot start " + name + " (" + className + "): " + cause, cause);
        }
        this.inputType =
                handler instanceof RequestHandler<?, ?> ? Json.EVENTS.constructType(inputOf(handler.getClass())) : null;
    }

    private static Type inputOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        return Object.class;
    }

    public String name() {
        return name;
    }

    public Object handler() {
        return handler;
    }

    /** Invokes with a JSON event; answers the JSON result. Exceptions propagate (the caller maps them). */
    public byte[] invoke(byte[] event) throws IOException {
        Context context = new SyntheticContext(name);
        return recorded(event, context, () -> invoke(event, context));
    }

    private interface Body<T> {
        T run() throws IOException;
    }

    /** The one place an invocation is timed and reported. */
    private <T> T recorded(Object event, Context context, Body<T> body) throws IOException {
        Invocations.Pending pending = recorder == null ? null : recorder.begin(name, event, context.getAwsRequestId());
        try {
            T out = body.run();
            if (pending != null) {
                pending.end(out);
            }
            return out;
        } catch (IOException | RuntimeException | Error e) {
            if (pending != null) {
                pending.fail(e);
            }
            throw e;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private byte[] invoke(byte[] event, Context context) throws IOException {
        if (handler instanceof RequestStreamHandler s) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.handleRequest(new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        }
        Object input = Json.EVENTS.readValue(event, inputType);
        Object output = ((RequestHandler) handler).handleRequest(input, context);
        return Json.EVENTS.writeValueAsBytes(output);
    }

    /** Typed call for callers that hold the event object already (REST, WebSocket). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <O> O call(Object event, Class<O> outputType) throws IOException {
        Context context = new SyntheticContext(name);
        return recorded(event, context, () -> {
            if (handler instanceof RequestHandler h && inputType.getRawClass().isInstance(event)) {
                Object out = h.handleRequest(event, context);
                return outputType.isInstance(out) ? (O) out : Json.EVENTS.convertValue(out, outputType);
            }
            return Json.EVENTS.readValue(invoke(Json.EVENTS.writeValueAsBytes(event), context), outputType);
        });
    }
}
