package dev.suite.shared.http;

import java.util.List;
import java.util.function.Function;

/** Every list answers {items, nextCursor}; nextCursor is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {

    /** The same page with each item turned into another (a record into its view). */
    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}
