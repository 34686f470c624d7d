package dev.suite.bench.crac;

/** A restore failed; each failing resource's exception is suppressed in it (org.crac copies them into its own). */
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException() {
        super("afterRestore failed");
    }
}
