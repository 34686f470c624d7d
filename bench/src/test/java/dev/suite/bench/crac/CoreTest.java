package dev.suite.bench.crac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.suite.bench.RecordingResource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's CRaC implementation as org.crac 1.5.0 finds it: surefire sets {@code -Dorg.crac.Core.Compat=dev.suite.bench.crac}
 * (bench/pom.xml), as ColdStart does for every SnapStart JVM, and these resources register through org.crac's own API, as
 * the functions' priming does. Without the property org.crac drops every registration and the first test fails.
 */
class CoreTest {
    private final List<String> calls = new ArrayList<>();
    private final List<org.crac.Resource> keep = new ArrayList<>();

    @BeforeEach
    void reset() {
        Core.reset();
    }

    private void register(String name, boolean failBefore) {
        org.crac.Resource r = new RecordingResource(name, calls, failBefore);
        keep.add(r);
        org.crac.Core.getGlobalContext().register(r);
    }

    @Test
    void hooksRunAsLambdaRunsThemBeforeCheckpointLastFirstAfterRestoreInOrder() throws Exception {
        register("a", false);
        register("b", false);
        register("c", false);
        assertEquals(3, Core.registered());
        Core.checkpoint();
        assertEquals(List.of("c.before", "b.before", "a.before"), calls);
        Core.restore();
        assertEquals(List.of("c.before", "b.before", "a.before", "a.after", "b.after", "c.after"), calls);
    }

    @Test
    void orgCracCheckpointRestoreReachesThisImplementation() throws Exception {
        register("a", false);
        register("b", false);
        org.crac.Core.checkpointRestore();
        assertEquals(List.of("b.before", "a.before", "a.after", "b.after"), calls);
    }

    @Test
    void aFailingHookDoesNotStopTheOthersAndIsReported() {
        register("a", false);
        register("b", true);
        register("c", false);
        CheckpointException e = assertThrows(CheckpointException.class, Core::checkpoint);
        assertEquals(1, e.getSuppressed().length);
        assertEquals("b refuses", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("c.before", "b.before", "a.before"), calls);
    }
}
