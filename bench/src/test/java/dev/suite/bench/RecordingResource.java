package dev.suite.bench;

import java.util.List;

/**
 * A CRaC resource for tests: records {@code <name>.before} and {@code <name>.after}; optionally refuses the checkpoint.
 */
public final class RecordingResource implements org.crac.Resource {
    private final String name;
    private final List<String> calls;
    private final boolean failBefore;

    public RecordingResource(String name, List<String> calls, boolean failBefore) {
        this.name = name;
        this.calls = calls;
        this.failBefore = failBefore;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        if (context == null) {
            throw new IllegalArgumentException("no context");
        }
        calls.add(name + ".before");
        if (failBefore) {
            throw new IllegalStateException(name + " refuses");
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        calls.add(name + ".after");
    }
}
