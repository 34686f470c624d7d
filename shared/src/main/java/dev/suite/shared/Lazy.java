package dev.suite.shared;

import java.util.function.Supplier;

/**
 * A client built when a route first needs it, then kept for the container: a route that never calls Cognito or S3 does
 * not pay for loading that client's classes. SnapStart priming calls {@link #get()} so the snapshot holds it built.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> build;
    private volatile T value;

    private Lazy(Supplier<T> build) {
        this.build = build;
    }

    public static <T> Lazy<T> of(Supplier<T> build) {
        return new Lazy<>(build);
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = build.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
