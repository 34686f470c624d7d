package dev.suite.shared;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;

/**
 * SnapStart priming through org.crac: before the snapshot, a handler runs its hot path on a synthetic request
 * with no side effects (class loading, JSON, routing, SDK marshalling and one read); after restore, anything
 * time- or connection-bound is refreshed. Outside a CRaC runtime the hooks are simply never called.
 */
public final class Priming implements Resource {
    private static final Logger LOG = Log.get(Priming.class);
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();
    private final String name;
    private final Runnable beforeCheckpoint;
    private final Runnable afterRestore;

    private Priming(String name, Runnable beforeCheckpoint, Runnable afterRestore) {
        this.name = name;
        this.beforeCheckpoint = beforeCheckpoint;
        this.afterRestore = afterRestore;
    }

    /** Registers the hooks with the global CRaC context (kept strongly referenced: CRaC holds resources weakly). */
    public static Priming register(String name, Runnable beforeCheckpoint, Runnable afterRestore) {
        Priming p = new Priming(name, beforeCheckpoint, afterRestore);
        REGISTERED.add(p);
        Core.getGlobalContext().register(p);
        return p;
    }

    /**
     * Runs the hooks inside an invocation's logging scope ({@link Log#around}, with a synthetic context), so the
     * "primed" line is written as a request's lines are: what a scheduled job's first line needs is loaded too. Priming
     * is not an invocation: its lines say cold_start false and the first real request still logs the cold start.
     */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        Log.priming(() -> Log.around(new SyntheticContext("priming"), "priming", () -> {
            try {
                beforeCheckpoint.run();
            } catch (RuntimeException e) {
                // Priming must never block the snapshot; the function still works, only colder.
                LOG.warn("priming {} failed: {}", name, e.getClass().getSimpleName());
            }
            LOG.info("primed {} in {} ms", name, (System.nanoTime() - started) / 1_000_000);
            return null;
        }));
    }

    /** A restored snapshot is a new container: its first invocation is a cold start again. */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        Log.restored();
        afterRestore.run();
    }

    public String name() {
        return name;
    }

    /** Every registered priming, for tests. */
    public static List<Priming> registered() {
        return List.copyOf(REGISTERED);
    }
}
