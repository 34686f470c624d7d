package dev.suite.bench.crac;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's CRaC implementation, found by org.crac through {@code -Dorg.crac.Core.Compat=dev.suite.bench.crac} (as
 * Lambda's runtime makes org.crac find its own {@code com.amazonaws.services.lambda.crac}). org.crac 1.5.0's
 * {@code Core$Compat} loads {@code <package>.Resource}, {@code .Context}, {@code .Core}, {@code .CheckpointException}
 * and {@code .RestoreException}, calls {@code Core.getGlobalContext()} once and {@code Context.register(Resource)} for
 * every resource a function registers (a proxy of {@link Resource} around the function's {@code org.crac.Resource}),
 * and forwards {@code org.crac.Core.checkpointRestore()} to {@link #checkpointRestore()}.
 *
 * <p>The global context runs the hooks as Lambda's does: {@code beforeCheckpoint} in reverse order of registration,
 * then (after the snapshot) {@code afterRestore} in order of registration; every resource runs even when one fails,
 * the failures suppressed in one exception. Resources are held weakly, as the CRaC contract says: one that nothing
 * else keeps alive may be gone at the checkpoint, as it may in Lambda. The bench calls {@link #checkpoint()} and
 * {@link #restore()} apart, to measure the heap between them.
 */
public final class Core {
    private static final GlobalContext GLOBAL = new GlobalContext();

    private Core() {}

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    /** What {@code org.crac.Core.checkpointRestore()} runs: both phases, with no snapshot between them. */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        checkpoint();
        restore();
    }

    /** Every registered resource's {@code beforeCheckpoint}, last registered first. */
    public static void checkpoint() throws CheckpointException {
        GLOBAL.beforeCheckpoint(null);
    }

    /** Every registered resource's {@code afterRestore}, first registered first. */
    public static void restore() throws RestoreException {
        GLOBAL.afterRestore(null);
    }

    /** How many resources are registered (still reachable). */
    public static int registered() {
        return GLOBAL.live().size();
    }

    /** Forgets every registration: for tests only (the global context lives as long as its JVM). */
    static void reset() {
        GLOBAL.reset();
    }

    private static final class GlobalContext extends Context<Resource> {
        private final List<WeakReference<Resource>> resources = new ArrayList<>();

        @Override
        public synchronized void register(Resource resource) {
            resources.add(new WeakReference<>(resource));
        }

        synchronized void reset() {
            resources.clear();
        }

        synchronized List<Resource> live() {
            List<Resource> out = new ArrayList<>();
            for (WeakReference<Resource> r : resources) {
                Resource resource = r.get();
                if (resource != null) {
                    out.add(resource);
                }
            }
            return out;
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
            List<Resource> live = live();
            CheckpointException failed = null;
            for (int i = live.size() - 1; i >= 0; i--) {
                try {
                    live.get(i).beforeCheckpoint(this);
                } catch (Exception e) {
                    failed = failed == null ? new CheckpointException() : failed;
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) throws RestoreException {
            RestoreException failed = null;
            for (Resource r : live()) {
                try {
                    r.afterRestore(this);
                } catch (Exception e) {
                    failed = failed == null ? new RestoreException() : failed;
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
