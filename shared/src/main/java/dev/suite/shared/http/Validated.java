package dev.suite.shared.http;

/**
 * A request body that checks itself after parsing. {@link #validated()} returns the normalised value
 * (trimmed, lower-cased, defaults applied) or throws {@link ApiException} naming the field.
 */
public interface Validated<T> {
    T validated();
}
