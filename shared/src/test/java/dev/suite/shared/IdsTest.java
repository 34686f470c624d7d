package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsSortByTimeAndAreUnique() {
        String a = Ids.at(Instant.parse("2026-01-01T00:00:00Z"));
        String b = Ids.at(Instant.parse("2026-01-01T00:00:00.001Z"));
        assertEquals(26, a.length());
        assertTrue(a.compareTo(b) < 0);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(Ids.next()));
        }
        assertTrue(a.matches("[0-9A-HJKMNP-TV-Z]{26}"));
    }
}
