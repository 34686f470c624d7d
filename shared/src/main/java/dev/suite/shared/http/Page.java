package dev.suite.shared.http;

import java.util.List;

/** Every list answers {items, nextCursor}; nextCursor is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
