package dev.suite.shared.data;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing the attributes of DynamoDB items: the few conversions every store needs, written once. */
public final class Items {
    private Items() {}

    /** A string attribute. */
    public static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    /** A number attribute. */
    public static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    /** The string at {@code key}, or null when the item has none. */
    public static String str(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null ? null : v.s();
    }

    /** The number at {@code key} as an int, 0 when the item has none. */
    public static int num(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null || v.n() == null ? 0 : Integer.parseInt(v.n());
    }
}
